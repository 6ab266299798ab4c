using System.Security.Cryptography;
using System.Text;

namespace PaperBot.Admin;

/// <summary>
/// A password kept only as PBKDF2-SHA256 with a random salt, in memory. Even the configured password is hashed at
/// start, so a memory dump or a stray log of this object shows no password, and comparison takes constant time.
/// </summary>
public sealed class PasswordHash
{
    public const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly byte[] salt;
    private readonly byte[] hash;

    private PasswordHash(byte[] salt, byte[] hash)
    {
        this.salt = salt;
        this.hash = hash;
    }

    public static PasswordHash Of(string password)
    {
        var salt = NewSalt();
        return new PasswordHash(salt, Derive(password, salt));
    }

    public bool Matches(string candidate) => CryptographicOperations.FixedTimeEquals(Derive(candidate, salt), hash);

    /// <summary>The same derivation with a given salt, as hex: what is stored to tell, at the next start, whether the password changed.</summary>
    public static string Fingerprint(string password, byte[] salt) => Convert.ToHexStringLower(Derive(password, salt));

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    /// <summary>A password for one run: letters and digits without look-alikes (0/O, 1/l/I), easy to copy from a log.</summary>
    public static string NewOneTimePassword(int length = 16)
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    private static byte[] Derive(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);

    public override string ToString() => "PasswordHash(PBKDF2-SHA256)";
}
