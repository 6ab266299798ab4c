using System.Security.Cryptography;
using System.Text;

namespace PaperBot.Core.Digests;

public sealed record Digest(string Title, string Intro, IReadOnlyList<DigestPaper> Papers)
{
    /// <summary>
    /// Hex SHA-256 over each paper's number, title (compared as the table of contents is:
    /// NFKC, whitespace removed) and links. Intro and summaries are left out on purpose, so a
    /// re-import with reworded summaries or a different format counts as the same digest.
    /// Computed on read so that <c>with</c> copies never carry a stale hash.
    /// </summary>
    public string ContentHash
    {
        get
        {
            var canonical = new StringBuilder();
            foreach (var paper in Papers)
            {
                canonical.Append(paper.Number).Append('\u001F')
                    .Append(TitleKey.Of(paper.Title)).Append('\u001F')
                    .Append(paper.Links.Paper?.Trim()).Append('\u001F')
                    .Append(paper.Links.Code?.Trim()).Append('\u001F')
                    .Append(paper.Links.Project?.Trim()).Append('\u001E');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        }
    }
}
