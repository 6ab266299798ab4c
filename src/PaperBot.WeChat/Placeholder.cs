namespace PaperBot.WeChat; internal static class Placeholder;
