using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.TestServices;

namespace PaperBot.Tests;

/// <summary>
/// The real host on a real SQLite file in its own directory. Settings go in through UseSetting, which the
/// program sees before its registrations read them, exactly like environment variables. It runs as Production (so no
/// user secrets), with every API base URL on <see cref="TestIsolation.Nowhere"/> unless a test names its fake, and
/// refuses to start with an API anywhere else (<see cref="TestIsolation"/>).
/// </summary>
public sealed class PaperBotApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly List<Action<IServiceCollection>> services = [];
    private readonly PostgresDatabase? postgres;
    private IWebHostEnvironment? environment;

    /// <param name="settings">With <c>Storage:Provider=Postgres</c> and no connection string, a fresh database on the test server.</param>
    public PaperBotApp(IDictionary<string, string?>? settings = null)
    {
        TestIsolation.ClearDeveloperEnvironment();
        Directory = System.IO.Directory.CreateTempSubdirectory("paperbot-host-").FullName;
        this.settings = new Dictionary<string, string?>(TestIsolation.Defaults)
        {
            ["ConnectionStrings:PaperBot"] = $"Data Source={DatabasePath}",
            ["Web:ConsoleMessagesPerMinute"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Arxiv:Enabled"] = "false",
            // The start-up's warm-up costs CPU the suite spends better; ServingWarmupTests turn it on.
            ["Web:WarmUp"] = "false",
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

    /// <summary>
    /// The address requests come from. The in-memory test server has no sockets, so it has no peer; a real client on
    /// this machine is 127.0.0.1, and a test sets another to play a client or a proxy elsewhere.
    /// </summary>
    public IPAddress PeerAddress { get; set; } = IPAddress.Loopback;

    public string DatabasePath => Path.Combine(Directory, "paperbot.db");

    /// <summary>The fresh PostgreSQL database this host runs on, when it made one.</summary>
    public PostgresDatabase? Postgres => postgres;

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
        // Development would load the user secrets of UserSecretsId "paperbot": a developer's real bot token. Its
        // service-provider checks are kept.
        builder.UseEnvironment(Environments.Production);
        builder.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateScopes = true;
            provider.ValidateOnBuild = true;
        });
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(collection =>
        {
            collection.AddSingleton<IStartupFilter>(new Peer(this));
            foreach (var configure in services)
                configure(collection);
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = builder.Build();
        try
        {
            TestIsolation.EnsureIsolated(host.Services.GetRequiredService<IConfiguration>());
            host.Start();
            environment = host.Services.GetRequiredService<IWebHostEnvironment>();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>Runs before the program's own middleware, as the network would: the connection's remote address.</summary>
    private sealed class Peer(PaperBotApp app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => pipeline =>
        {
            pipeline.Use((http, after) =>
            {
                http.Connection.RemoteIpAddress = app.PeerAddress;
                return after(http);
            });
            next(pipeline);
        };
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
        // The host does not dispose the web root's file provider, and a page with asp-append-version made it watch the
        // folder: each host of the run would keep an inotify instance open (the user's limit is 128) until collected.
        (environment?.WebRootFileProvider as IDisposable)?.Dispose();
        (environment?.ContentRootFileProvider as IDisposable)?.Dispose();
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

    /// <summary>Sends a message as the site's own page does: JSON, with the page's Origin (as every browser sends on a POST).</summary>
    public static Task<ChatBody> ChatAsync(this HttpClient client, string text, string? origin = null) => PostAsync(client, new { text }, origin);

    public static Task<ChatBody> PressAsync(this HttpClient client, string data, string? origin = null) => PostAsync(client, new { data }, origin);

    private static async Task<ChatBody> PostAsync(HttpClient client, object body, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(body) };
        request.Headers.Add("Origin", origin ?? client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatBody>())!;
    }
}
