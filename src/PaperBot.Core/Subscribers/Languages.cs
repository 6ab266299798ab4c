namespace PaperBot.Core.Subscribers;

public static class Languages
{
    public const string Chinese = "zh";
    public const string English = "en";

    /// <summary>Maps a client language code (Telegram's language_code, a browser's Accept-Language) to zh or en.</summary>
    public static string FromClient(string? code) =>
        code is null || code.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "zh" or "cn" or "中文" or "zh-cn" or "zh-hans" => Chinese,
        "en" or "english" or "英文" or "英语" => English,
        _ => null,
    };
}
