using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PaperBot.Tests.Browser;

/// <summary>The real host on a real port (Kestrel on 127.0.0.1), for a browser to visit.</summary>
public static class LiveHost
{
    public static Uri Start(PaperBotApp app)
    {
        // An endpoint in code, not a port: config/appsettings.json's Urls (localhost:5080) would otherwise win.
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}
