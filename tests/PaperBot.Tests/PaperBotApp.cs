using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.TestServices;

namespace PaperBot.Tests;

/// <summary>
/// The real host on a real SQLite file in its own directory. Settings go in through UseSetting, which the
/// program sees before its registrations read them, exactly like environment variables.
/// </summary>
public sealed class PaperBotApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly List<Action<IServiceCollection>> services = [];
    private readonly PostgresDatabase? postgres;

    /// <param name="settings">With <c>Storage:Provider=Postgres</c> and no connection string, a fresh database on the test server.</param>
    public PaperBotApp(IDictionary<string, string?>? settings = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("paperbot-host-").FullName;
        this.settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = $"Data Source={DatabasePath}",
            ["Web:ConsoleMessagesPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Arxiv:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            this.settings[key] = value;
        if (this.settings.TryGetValue("Storage:Provider", out var provider) && provider == "Postgres" && settings?.ContainsKey("ConnectionStrings:PaperBot") != true)
        {
            postgres = PostgresDatabase.CreateAsync().GetAwaiter().GetResult();
            this.settings["ConnectionStrings:PaperBot"] = postgres.ConnectionString;
        }
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "paperbot.db");

    /// <summary>Replaces a service before the host starts (a fake clock, say).</summary>
    public PaperBotApp WithService<T>(T instance)
        where T : class
    {
        services.Add(s => s.Replace(ServiceDescriptor.Singleton(instance)));
        return this;
    }

    /// <summary>Adds a logger provider, so a test can read everything the host logs.</summary>
    public PaperBotApp WithLogs(ILoggerProvider provider) => WithServices(s => s.AddSingleton(provider));

    /// <summary>Adds to the host's services before it starts (a log capture, say).</summary>
    public PaperBotApp WithServices(Action<IServiceCollection> configure)
    {
        services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(collection =>
        {
            foreach (var configure in services)
                configure(collection);
        });
    }

    public async Task<T> QueryAsync<T>(Func<PaperBotDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaperBotDbContext>());
    }

    public Task<int> CountAsync<TEntity>()
        where TEntity : class =>
        QueryAsync(db => db.Set<TEntity>().CountAsync());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stopping background service; the OS temp cleaner gets it.
        }
    }
}

public static class ChatClient
{
    public sealed record Button(string Text, string? Url, string? Data);

    public sealed record ReplyBody(string Text, List<Button> Buttons);

    public sealed record ChatBody(List<ReplyBody> Replies);

    public static async Task<ChatBody> ChatAsync(this HttpClient client, string text)
    {
        var response = await client.PostAsJsonAsync("/api/chat", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatBody>())!;
    }

    public static async Task<ChatBody> PressAsync(this HttpClient client, string data)
    {
        var response = await client.PostAsJsonAsync("/api/chat", new { data });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatBody>())!;
    }
}
