using PaperBot.Core.Data;
using PaperBot.Core.Sending;

namespace PaperBot.Core.Tests;

/// <summary>
/// Tests that must hold on both databases: a class derives from this and runs on SQLite; its
/// <c>…OnPostgres</c> subclass runs every test again on a fresh PostgreSQL database.
/// </summary>
public abstract class StorageTests
{
    protected virtual string Provider => StorageOptions.Sqlite;

    internal Task<CoreHarness> StartAsync(bool publishSample = true, IDictionary<string, string?>? settings = null, params IChannelSender[] senders) =>
        CoreHarness.StartAsync(publishSample, settings, Provider, senders);
}
