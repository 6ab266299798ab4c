// 自定义菜单 (menu/create): 1 to 3 top-level buttons; a top-level button either acts itself or
// opens 1 to 5 sub-buttons. We model the two actions the bot uses: click (pushes a CLICK event
// with the key) and view (opens the URL). Names: top level at most 16 bytes, sub-buttons 60;
// keys at most 128 bytes; URLs at most 1024 bytes.
using System.Globalization;
using System.Text;

namespace PaperBot.WeChat;

public enum WeChatMenuButtonType
{
    Click,
    View,
    Group,
}

public sealed record WeChatMenuButton
{
    private const int MaxKeyBytes = 128;
    private const int MaxUrlBytes = 1024;
    private const int MaxSubButtons = 5;

    private WeChatMenuButton(WeChatMenuButtonType type, string name, string? key, string? url, IReadOnlyList<WeChatMenuButton> subButtons)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Type = type;
        Name = name;
        Key = key;
        Url = url;
        SubButtons = subButtons;
    }

    public WeChatMenuButtonType Type { get; }

    public string Name { get; }

    public string? Key { get; }

    public string? Url { get; }

    public IReadOnlyList<WeChatMenuButton> SubButtons { get; }

    public static WeChatMenuButton Click(string name, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfLongerThan(key, MaxKeyBytes, nameof(key));
        return new WeChatMenuButton(WeChatMenuButtonType.Click, name, key, url: null, []);
    }

    public static WeChatMenuButton View(string name, string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ThrowIfLongerThan(url, MaxUrlBytes, nameof(url));
        return new WeChatMenuButton(WeChatMenuButtonType.View, name, key: null, url, []);
    }

    public static WeChatMenuButton Group(string name, params IReadOnlyList<WeChatMenuButton> subButtons)
    {
        ArgumentNullException.ThrowIfNull(subButtons);
        if (subButtons.Count is < 1 or > MaxSubButtons)
        {
            throw new ArgumentOutOfRangeException(nameof(subButtons), subButtons.Count, "A menu group holds 1 to 5 sub-buttons.");
        }

        if (subButtons.Any(button => button.Type == WeChatMenuButtonType.Group))
        {
            throw new ArgumentException("Sub-buttons cannot hold sub-buttons of their own.", nameof(subButtons));
        }

        return new WeChatMenuButton(WeChatMenuButtonType.Group, name, key: null, url: null, subButtons.ToArray());
    }

    internal static void ThrowIfLongerThan(string value, int maxBytes, string paramName)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > maxBytes)
        {
            throw new ArgumentOutOfRangeException(
                paramName, bytes, string.Create(CultureInfo.InvariantCulture, $"At most {maxBytes} UTF-8 bytes."));
        }
    }
}

public sealed record WeChatMenu
{
    private const int MaxButtons = 3;
    private const int MaxTopLevelNameBytes = 16;
    private const int MaxSubButtonNameBytes = 60;

    public WeChatMenu(params IReadOnlyList<WeChatMenuButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        if (buttons.Count is < 1 or > MaxButtons)
        {
            throw new ArgumentOutOfRangeException(nameof(buttons), buttons.Count, "A menu holds 1 to 3 top-level buttons.");
        }

        foreach (var button in buttons)
        {
            WeChatMenuButton.ThrowIfLongerThan(button.Name, MaxTopLevelNameBytes, nameof(buttons));
            foreach (var subButton in button.SubButtons)
            {
                WeChatMenuButton.ThrowIfLongerThan(subButton.Name, MaxSubButtonNameBytes, nameof(buttons));
            }
        }

        Buttons = buttons.ToArray();
    }

    public IReadOnlyList<WeChatMenuButton> Buttons { get; }
}
