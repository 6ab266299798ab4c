using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Channels.WeChat;
using PaperBot.TestServices;

namespace PaperBot.Tests.Hosting;

/// <summary>
/// Every rule of every options class (each <c>Validate()</c> of an <c>IValidatedOptions</c>), a row each, and the
/// settings the registrations refuse: the real program (Program.cs's entry point, in this process, settings as
/// command-line switches) stops with exit code 2 and one line on standard error naming the key, before it creates
/// the database. They swap Console.Error to read that line, so they run alone.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class ConfigurationRulesTests
{
    private const string TelegramOn = $"Telegram:BotToken={FakeBotApi.Token}";
    private const string WeChatOn = $"WeChat:Token={WeChatHost.Token} | WeChat:AppId={WeChatHost.AppId} | WeChat:AppSecret={WeChatHost.AppSecret}";

    /// <summary>Settings as <c>Key=Value | Key=Value</c>, and the line the program prints.</summary>
    public static TheoryData<string, string> Rules => new()
    {
        { "Schedule:WeeklyCron=every monday", "Schedule:WeeklyCron 'every monday' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 9 ? * MON')" },
        { "Schedule:WeeklyCron=0 0 9 30 2 ?", "Schedule:WeeklyCron '0 0 9 30 2 ?' never fires (a date that does not exist, or a year that has passed)" },
        { "Schedule:WeeklyCron=0 0 9 ? * MON 2020", "Schedule:WeeklyCron '0 0 9 ? * MON 2020' never fires (a date that does not exist, or a year that has passed)" },
        { "Schedule:WeeklyCron=0 0/30 9 ? * MON", "Schedule:WeeklyCron '0 0/30 9 ? * MON' fires at 09:00:00 and again at 09:30:00 (Asia/Shanghai); each firing publishes an issue, so firings must be at least 20 hours apart" },
        { "Schedule:TimeZone=Mars/Olympus", "Schedule:TimeZone 'Mars/Olympus' is not a known time zone id (e.g. Asia/Shanghai, Europe/Berlin, UTC)" },

        { "WeChat:Token=ab", "WeChat:Token must be 3 to 32 letters or digits, as entered in the Official Account's server configuration" },
        { $"{WeChatOn} | WeChat:EncodingAesKey=too-short", "WeChat:EncodingAesKey must be 43 characters (letters and digits, as generated in the server configuration)" },
        { $"WeChat:Token={WeChatHost.Token} | WeChat:EncodingAesKey={WeChatHost.EncodingAesKey}", "WeChat:AppId is required with WeChat:EncodingAesKey: compatible and safe mode check it in every message" },
        { $"WeChat:Token={WeChatHost.Token} | WeChat:AppSecret={WeChatHost.AppSecret}", "WeChat:AppId is required with WeChat:AppSecret" },
        { $"WeChat:Token={WeChatHost.Token} | WeChat:AppId={WeChatHost.AppId} | WeChat:PushMode=CustomerService", "WeChat:AppSecret is required with WeChat:PushMode CustomerService" },
        { $"{WeChatOn} | WeChat:ApiBaseUrl=api.weixin.qq.com", "WeChat:ApiBaseUrl must be an absolute http(s) URL, not 'api.weixin.qq.com'" },
        { $"{WeChatOn} | WeChat:MaxTimestampSkew=00:00:00", "WeChat:MaxTimestampSkew must be between 00:00:01 and 1.00:00:00" },
        { $"{WeChatOn} | WeChat:ReplyBudget=00:00:05", "WeChat:ReplyBudget must be between 00:00:00 and 00:00:04.5 (WeChat waits 5 seconds for a reply)" },
        { $"{WeChatOn} | WeChat:Menu:3:Name=第四 | WeChat:Menu:3:Key=help", "WeChat:Menu holds at most 3 buttons" },
        { $"{WeChatOn} | WeChat:Menu:0:Name=", "WeChat:Menu:0:Name is required" },
        { $"{WeChatOn} | WeChat:Menu:0:Name=最新最新最新最新", "WeChat:Menu:0:Name '最新最新最新最新' is longer than 16 bytes (a Chinese character takes 3)" },
        { $"{WeChatOn} | WeChat:Menu:0:Url=https://papers.example.org/", "WeChat:Menu:0 needs exactly one of Key (a command such as 'latest'), Url, or SubButtons" },
        { $"{WeChatOn} | WeChat:Menu:2:SubButtons:0:Url=https://papers.example.org/", "WeChat:Menu:2:SubButtons:0 needs exactly one of Key (a command such as 'latest') or Url" },
        { $"{WeChatOn} | WeChat:Menu:0:Key={new string('k', 129)}", "WeChat:Menu:0:Key is longer than 128 bytes" },
        { $"{WeChatOn} | WeChat:Menu:1:Key= | WeChat:Menu:1:Url=ftp://papers.example.org/", "WeChat:Menu:1:Url must be an absolute http(s) URL of at most 1024 bytes, not 'ftp://papers.example.org/'" },
        { $"{WeChatOn} | WeChat:Menu:2:SubButtons:4:Name=五 | WeChat:Menu:2:SubButtons:4:Key=latest | WeChat:Menu:2:SubButtons:5:Name=六 | WeChat:Menu:2:SubButtons:5:Key=issues", "WeChat:Menu:2:SubButtons holds at most 5 buttons" },

        { $"{WeChatOn} | WeChat:PushMode=Broadcast", "Failed to convert configuration value 'Broadcast' at 'WeChat:PushMode' to type 'PaperBot.Channels.WeChat.WeChatPushMode'." },

        { "Telegram:BotToken=not a token", "Telegram:BotToken does not look like a token from @BotFather (digits, a colon, then letters, digits, _ and -)" },
        { $"{TelegramOn} | Telegram:ApiBaseUrl=api.telegram.org", "Telegram:ApiBaseUrl must be an absolute http(s) URL, not 'api.telegram.org'" },
        { $"{TelegramOn} | Telegram:WebhookUrl=http://bot.example.com/hook | Telegram:WebhookSecret=s3cret", "Telegram:WebhookUrl must be an absolute https URL (http only for localhost), not 'http://bot.example.com/hook'" },
        { $"{TelegramOn} | Telegram:WebhookUrl=https://bot.example.com/hook", "Telegram:WebhookSecret is required with Telegram:WebhookUrl (1-256 characters: A-Z, a-z, 0-9, _ and -)" },
        { $"{TelegramOn} | Telegram:WebhookSecret=has spaces", "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (the Bot API's secret_token)" },
        { $"{TelegramOn} | Telegram:Channels:0=paperbot_weekly", "Telegram:Channels:0 must be a channel id such as -1001234567890 or a public @name, not 'paperbot_weekly'" },
        { $"{TelegramOn} | Telegram:PollingTimeoutSeconds=0", "Telegram:PollingTimeoutSeconds must be between 1 and 50, not 0" },

        { "Admin:Password=hunter2", "Admin:Password must be at least 8 characters (or empty for a one-time password in the log)" },
        { "Admin:MaxFailuresPerAddress=0", "Admin:MaxFailuresPerAddress must be at least 1" },
        { "Admin:MaxFailuresOverall=3", "Admin:MaxFailuresOverall must be at least Admin:MaxFailuresPerAddress" },
        { "Admin:MaxLoginWait=00:00:00", "Admin:MaxLoginWait must be at least 00:00:01, e.g. 00:15:00" },
        { "Admin:Session=-01:00:00", "Admin:Session must be a positive time span, e.g. 08:00:00" },

        { "Web:PublicUrl=papers.example.org", "Web:PublicUrl must be an absolute http(s) URL, not 'papers.example.org'" },
        { "Web:ConsoleMessagesPerMinute=0", "Web:ConsoleMessagesPerMinute must be at least 1" },
        { "Web:TrustedProxies:0=10.0.0.5 | Web:TrustedProxies:1=proxy.internal", "Web:TrustedProxies:1 must be an IP address or a network such as 10.0.0.0/8, not 'proxy.internal'" },
        { "Web:TrustedProxies:0=10.0.0.0/33", "Web:TrustedProxies:0 must be an IP address or a network such as 10.0.0.0/8, not '10.0.0.0/33'" },
        { "Metrics:Token=short", "Metrics:Token must be at least 16 characters without spaces (or empty to serve /metrics to this machine and the trusted proxies only)" },

        { "Delivery:MessagesPerSecond=-1", "Delivery:MessagesPerSecond must be 0 (no limit) or more, not -1" },
        { "Delivery:MaxAttempts=0", "Delivery:MaxAttempts must be at least 1" },
        { "Delivery:RetryDelay=00:00:00", "Delivery:RetryDelay must be positive, e.g. 00:00:05" },
        { "Delivery:MaxConcurrency=1025", "Delivery:MaxConcurrency must be between 1 and 1024" },
        { "Delivery:MaxBatch=10001", "Delivery:MaxBatch must be between 1 and 10000" },
        { "Delivery:ClaimLease=00:00:04", "Delivery:ClaimLease must be at least 00:00:05" },
        { $"Delivery:InstanceId={new string('i', 52)}", "Delivery:InstanceId must be at most 51 characters (it names this instance in claims and leases), not 52" },
        { "Retention:Days=0", "Retention:Days must be between 1 and 36500, not 0" },
        { "Retention:Days=1000000000", "Retention:Days must be between 1 and 36500, not 1000000000" },

        { "Admins:Telegram:0=@alice", "Admins:Telegram:0 must be a numeric Telegram user id, not '@alice'" },
        { "Admins:WeChat:0= ", "Admins:WeChat:0 is empty; it must be a WeChat OpenID" },

        { "Arxiv:Timeout=00:10:00", "Arxiv:Timeout must be between 00:00:01 and 00:05:00 (hh:mm:ss), not '00:10:00'" },
        { "Arxiv:Timeout=120", "Arxiv:Timeout must be between 00:00:01 and 00:05:00 (hh:mm:ss), not '120.00:00:00'" },
        { "Arxiv:Timeout=00:00:00.500", "Arxiv:Timeout must be between 00:00:01 and 00:05:00 (hh:mm:ss), not '00:00:00.5000000'" },

        { "ConnectionStrings:PaperBot=", "ConnectionStrings:PaperBot is empty; set it to a SQLite or PostgreSQL connection string" },
        { "Storage:Provider=Mysql", "Storage:Provider must be Sqlite or Postgres, not 'Mysql'" },
        { "ConnectionStrings:PaperBot=Data Sourc=paperbot.db", "ConnectionStrings:PaperBot is not a Sqlite connection string: Connection string keyword 'data sourc' is not supported. For a possible alternative, see https://go.microsoft.com/fwlink/?linkid=2142181." },
        { "Samples:File=/nonexistent/digest.txt", "Samples:File names '/nonexistent/digest.txt', which does not exist (or set Samples:ImportOnFirstStart=false)" },
        { "Topics:Catalog=/nonexistent/topics.json", "Topics:Catalog names '/nonexistent/topics.json', which does not exist" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task EachWrongSettingStopsTheProgramWithExitCode2AndOneLineNamingTheKey(string settings, string problem)
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-config-").FullName;
        try
        {
            var (exit, error) = await RunProgramAsync(directory, settings.Split(" | ").Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => s[1]));

            Assert.Equal(2, exit);
            Assert.Equal([$"configuration: {problem}"], error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.False(File.Exists(Path.Combine(directory, "paperbot.db")), "the database file was created before the settings were checked");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // With Telegram off (no token) a wrong Telegram setting fails twice at start — once for Telegram's own options and
    // once through Delivery's, whose PostConfigure reads them: still one line, once.
    [Theory]
    [InlineData("Telegram:ApiBaseUrl=api.telegram.org", "Telegram:ApiBaseUrl must be an absolute http(s) URL, not 'api.telegram.org'")]
    [InlineData("Telegram:WebhookSecret=has spaces", "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (the Bot API's secret_token)")]
    [InlineData("Telegram:Channels:0=paperbot_weekly", "Telegram:Channels:0 must be a channel id such as -1001234567890 or a public @name, not 'paperbot_weekly'")]
    [InlineData("Telegram:PollingTimeoutSeconds=0", "Telegram:PollingTimeoutSeconds must be between 1 and 50, not 0")]
    public Task AWrongTelegramSettingWithTelegramOffStopsTheProgramWithOneLineToo(string settings, string problem) =>
        EachWrongSettingStopsTheProgramWithExitCode2AndOneLineNamingTheKey(settings, problem);

    /// <summary>Runs Program.cs's entry point with <paramref name="settings"/> as switches; its exit code and standard error.</summary>
    private static async Task<(int Exit, string Error)> RunProgramAsync(string directory, Dictionary<string, string> settings)
    {
        TestIsolation.ClearDeveloperEnvironment();
        var all = new Dictionary<string, string?>(TestIsolation.Defaults)
        {
            ["ConnectionStrings:PaperBot"] = $"Data Source={Path.Combine(directory, "paperbot.db")}",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "None",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        TestIsolation.EnsureLocal(all);

        var error = new StringWriter();
        var standardError = Console.Error;
        Console.SetError(error);
        try
        {
            var main = typeof(Program).Assembly.EntryPoint!;
            string[] args = [.. all.Select(s => $"--{s.Key}={s.Value}")];
            var exit = await Task.Run(() => (int)main.Invoke(null, [args])!).WaitAsync(TimeSpan.FromSeconds(60));
            return (exit, error.ToString());
        }
        finally
        {
            Console.SetError(standardError);
        }
    }
}
