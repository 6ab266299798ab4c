namespace PaperBot.Core; internal static class Placeholder;
