using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Core.Arxiv;
using PaperBot.Core.Commands;
using PaperBot.Core.Configuration;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Core;

public static class CoreRegistration
{
    /// <summary>Storage, topics, digests, subscribers, the command engine and publishing: what the host and the command line share.</summary>
    public static IHostApplicationBuilder AddPaperBotCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        builder.AddPaperBotStorage();

        services.AddValidatedOptions<TopicOptions>(TopicOptions.Section);
        services.AddValidatedOptions<SampleOptions>(SampleOptions.Section);
        services.AddValidatedOptions<AdminOptions>(AdminOptions.Section);
        services.AddValidatedOptions<DeliveryOptions>(DeliveryOptions.Section);
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        services.AddValidatedOptions<ArxivOptions>(ArxivOptions.Section);
        services.AddSingleton(sp => TopicCatalog.Load(sp.GetRequiredService<IOptions<TopicOptions>>().Value.CatalogPath));
        services.AddSingleton(sp =>
        {
            var modelPath = sp.GetRequiredService<IOptions<TopicOptions>>().Value.ModelPath;
            return new TopicTagger(sp.GetRequiredService<TopicCatalog>(), () => TopicModel.Load(modelPath));
        });
        services.AddSingleton<TopicLearning>();
        services.AddSingleton<ArxivGate>();
        services.AddSingleton<ArxivBackfillSignal>();
        services.AddHttpClient<ArxivClient>(ArxivClient.HttpClientName, http =>
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("PaperBot/1.0 (weekly AI paper digest)");
            // ArxivClient times each request with Arxiv:Timeout; HttpClient's own 100 s default would cut a longer one short.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        services.AddSingleton<PaperCards>();
        services.AddSingleton<AdminDirectory>();
        services.AddSingleton<DigestMessages>();
        services.AddSingleton<DeliverySignal>();
        services.AddMetrics();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<ProgressSamples>();

        services.AddScoped<IssueReader>();
        services.AddScoped<PaperSearch>();
        services.AddScoped<IssueImporter>();
        services.AddScoped<PaperTopicsEditor>();
        services.AddScoped<ArxivMetadataFill>();
        services.AddScoped<IssueScheduler>();
        services.AddScoped<ScheduledPublishing>();
        services.AddScoped<FirstStartSample>();
        services.AddScoped<SubscriberDirectory>();
        services.AddSingleton<InstanceIdentity>();
        services.AddScoped<ClusterLeases>();
        services.AddScoped<InboundReceipts>();
        services.AddScoped<Housekeeping>();
        services.AddScoped<IssuePublisher>();
        services.AddScoped<Broadcaster>();
        services.AddScoped<Resender>();
        services.AddScoped<StatsReport>();
        services.AddScoped<PushProgress>();
        services.AddScoped<PushEstimate>();
        services.AddScoped<ProgressMessages>();
        services.AddScoped<DeliveryClaims>();
        services.AddScoped<DeliveryResults>();
        services.AddScoped<ChatLifecycle>();
        services.AddScoped<ChannelHealth>();

        services.AddScoped<ReadingReplies>();
        services.AddScoped<TopicReplies>();
        services.AddScoped<SubscriptionReplies>();
        services.AddScoped<AdminReplies>();
        services.AddScoped<CommandEngine>();
        return builder;
    }

    /// <summary>The background fill of arXiv metadata that imports could not get, for the host (not the command line).</summary>
    public static IHostApplicationBuilder AddArxivBackfill(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ArxivBackfill>();
        return builder;
    }

    /// <summary>The sending engine, for the host (the command line only queues deliveries).</summary>
    public static IHostApplicationBuilder AddDeliveryWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddHostedService<HousekeepingService>();
        return builder.AddStorageMaintenance();
    }
}
