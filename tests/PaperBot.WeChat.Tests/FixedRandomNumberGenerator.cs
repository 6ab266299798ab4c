using System.Security.Cryptography;
using System.Text;

namespace PaperBot.WeChat.Tests;

/// <summary>Hands out the same bytes every time, so a ciphertext can be compared with a published one.</summary>
internal sealed class FixedRandomNumberGenerator(byte[] bytes) : RandomNumberGenerator
{
    public FixedRandomNumberGenerator(string ascii)
        : this(Encoding.ASCII.GetBytes(ascii))
    {
    }

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data) => bytes.AsSpan(0, data.Length).CopyTo(data);
}
