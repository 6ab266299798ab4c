namespace PaperBot.Core.Digests;

/// <summary>Tells Chinese, Japanese and Korean characters from Latin letters and digits.</summary>
internal static class Cjk
{
    public static bool IsCjk(char c) =>
        c is >= '\u1100' and <= '\u11FF'    // Hangul Jamo
        or >= '\u2E80' and <= '\uA4CF'      // radicals, CJK punctuation, kana, ideographs, Yi
        or >= '\uAC00' and <= '\uD7AF'      // Hangul syllables
        or >= '\uF900' and <= '\uFAFF'      // compatibility ideographs
        or >= '\uFE30' and <= '\uFE4F'      // compatibility forms
        or >= '\uFF00' and <= '\uFFEF'      // full-width forms
        || char.IsSurrogate(c);             // ideograph extensions B+ (and emoji) live beyond the BMP

    /// <summary>A letter or digit of an alphabetic script, where words are separated by spaces.</summary>
    public static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) && !IsCjk(c);
}
