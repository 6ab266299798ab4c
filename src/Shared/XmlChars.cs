// Compiled into each assembly that writes XML for others to read (the Atom feed, WeChat replies), which share no
// library, and into the core, which keeps them out of what it reads (digests, messages, searches): the one place that
// says which characters text may carry. They are also the ones Unicode normalization refuses (U+FFFE, lone surrogates).
using System.Text;
using System.Xml;

namespace PaperBot.Xml;

internal static class XmlChars
{
    /// <summary>
    /// The text without the characters XML 1.0 cannot carry at all, escaped or not (most C0 controls such as U+0001 and
    /// U+000B, U+FFFE and U+FFFF, lone surrogates), which XmlWriter refuses with an exception. Pasted digests carry them.
    /// </summary>
    public static string WithoutIllegal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? cleaned = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (XmlConvert.IsXmlChar(c))
            {
                cleaned?.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], c))
            {
                cleaned?.Append(c).Append(value[i + 1]);
                i++;
            }
            else
            {
                cleaned ??= new StringBuilder(value.Length).Append(value, 0, i);
            }
        }

        return cleaned?.ToString() ?? value;
    }
}
