using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Data;

/// <summary>
/// The model shared by both providers. Each provider has its own subclass because each keeps its own
/// migrations (<see cref="SqlitePaperBotDbContext"/>, <see cref="PostgresPaperBotDbContext"/>).
/// </summary>
public abstract class PaperBotDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Issue> Issues => Set<Issue>();
    public DbSet<Paper> Papers => Set<Paper>();
    public DbSet<IssueArticle> IssueArticles => Set<IssueArticle>();
    public DbSet<PaperTopic> PaperTopics => Set<PaperTopic>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<SubscriberTopic> SubscriberTopics => Set<SubscriberTopic>();
    public DbSet<Push> Pushes => Set<Push>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<ChannelThrottle> ChannelThrottles => Set<ChannelThrottle>();
    public DbSet<PushTally> PushTallies => Set<PushTally>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<InboundReceipt> InboundReceipts => Set<InboundReceipt>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ClusterLease> ClusterLeases => Set<ClusterLease>();
    public DbSet<ProtectionKey> DataProtectionKeys => Set<ProtectionKey>();
    public DbSet<RequestNonce> RequestNonces => Set<RequestNonce>();
    public DbSet<LoginFailureTally> LoginFailures => Set<LoginFailureTally>();
    public DbSet<AdminSession> AdminSessions => Set<AdminSession>();
    public DbSet<AdminCredential> AdminCredentials => Set<AdminCredential>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Issue>(issue =>
        {
            issue.Property(i => i.Title).HasMaxLength(Issue.MaxTitleLength);
            issue.Property(i => i.ContentHash).HasMaxLength(64);
            issue.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            issue.HasIndex(i => i.ContentHash).IsUnique();
            issue.Property(i => i.ArticleUrl).HasMaxLength(2000);
            issue.HasIndex(i => new { i.Status, i.PublishedAt });
            issue.HasMany(i => i.Papers).WithOne(p => p.Issue).HasForeignKey(p => p.IssueId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<IssueArticle>(article =>
        {
            article.HasKey(a => a.IssueId);
            article.HasOne<Issue>().WithOne().HasForeignKey<IssueArticle>(a => a.IssueId).OnDelete(DeleteBehavior.Cascade);
            article.Property(a => a.CoverMediaId).HasMaxLength(256);
            article.Property(a => a.CoverImageUrl).HasMaxLength(2000);
            article.Property(a => a.CoverFingerprint).HasMaxLength(64);
            article.Property(a => a.DraftMediaId).HasMaxLength(256);
            article.Property(a => a.PublishId).HasMaxLength(64);
            article.Property(a => a.ClientMsgId).HasMaxLength(64);
            article.Property(a => a.MassSendStatus).HasMaxLength(128);
            article.Property(a => a.LastError).HasMaxLength(1000);
            article.HasIndex(a => a.MassSendMsgId);
            article.HasIndex(a => a.PublishId);
        });

        modelBuilder.Entity<Paper>(paper =>
        {
            paper.Property(p => p.Title).HasMaxLength(Paper.MaxTitleLength);
            paper.Property(p => p.ArxivId).HasMaxLength(40);
            paper.Property(p => p.PaperUrl).HasMaxLength(Paper.MaxUrlLength);
            paper.Property(p => p.CodeUrl).HasMaxLength(Paper.MaxUrlLength);
            paper.Property(p => p.ProjectUrl).HasMaxLength(Paper.MaxUrlLength);
            paper.Property(p => p.TopicsCorrectedBy).HasMaxLength(200);
            paper.Property(p => p.EnglishTitle).HasMaxLength(1000);
            paper.Property(p => p.PrimaryCategory).HasMaxLength(32);
            paper.HasIndex(p => new { p.IssueId, p.Number }).IsUnique();
            paper.HasIndex(p => p.ArxivId);
            paper.HasIndex(p => p.TopicsCorrectedAt);
            paper.HasMany(p => p.Topics).WithOne().HasForeignKey(t => t.PaperId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PaperTopic>(topic =>
        {
            topic.HasKey(t => new { t.PaperId, t.Topic });
            topic.Property(t => t.Topic).HasMaxLength(64);
            topic.HasIndex(t => t.Topic);
        });

        modelBuilder.Entity<Subscriber>(subscriber =>
        {
            subscriber.Property(s => s.Channel).HasConversion<string>().HasMaxLength(16);
            subscriber.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            subscriber.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
            subscriber.Property(s => s.StatusBeforeGone).HasConversion<string>().HasMaxLength(16);
            subscriber.Property(s => s.ChatId).HasMaxLength(128);
            subscriber.Property(s => s.UserId).HasMaxLength(128);
            subscriber.Property(s => s.DisplayName).HasMaxLength(200);
            subscriber.Property(s => s.Language).HasMaxLength(8);
            subscriber.HasIndex(s => new { s.Channel, s.ChatId }).IsUnique();
            // Counting the audience by status, channel and kind (stats, the admin page, a push's estimate) reads this index
            // alone, without visiting a million rows; queueing a push finds the active subscribers by its first column.
            subscriber.HasIndex(s => new { s.Status, s.Channel, s.Kind });
            subscriber.HasMany(s => s.Topics).WithOne().HasForeignKey(t => t.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SubscriberTopic>(topic =>
        {
            topic.HasKey(t => new { t.SubscriberId, t.Topic });
            topic.Property(t => t.Topic).HasMaxLength(64);
            topic.HasIndex(t => t.Topic);
        });

        modelBuilder.Entity<Push>(push =>
        {
            push.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
            push.Property(p => p.CreatedBy).HasMaxLength(200);
            push.Property(p => p.ProgressChannel).HasConversion<string>().HasMaxLength(16);
            push.Property(p => p.ProgressChatId).HasMaxLength(128);
            push.Property(p => p.ProgressMessageId).HasMaxLength(64);
            push.HasOne(p => p.Issue).WithMany().HasForeignKey(p => p.IssueId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Delivery>(delivery =>
        {
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.Channel).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.LastError).HasMaxLength(500);
            delivery.Property(d => d.ClaimedBy).HasMaxLength(InstanceIdentity.MaxLength);
            delivery.HasIndex(d => new { d.PushId, d.SubscriberId }).IsUnique();
            // A subscriber's deliveries: /status's last delivery and WeChat's waiting offers.
            delivery.HasIndex(d => d.SubscriberId);
            // A channel's claim scans its pending deliveries in id order; this index serves it without a sort or a join.
            delivery.HasIndex(d => new { d.Channel, d.Status, d.Id });
            delivery.HasIndex(d => new { d.PushId, d.Status });
            // A mass send's report finds the deliveries it carried; only WeChat's mass-sent deliveries are in it.
            delivery.HasIndex(d => d.MassSendMsgId).HasFilter("\"MassSendMsgId\" IS NOT NULL");
        });

        modelBuilder.Entity<ChannelThrottle>(throttle =>
        {
            throttle.HasKey(t => t.Channel);
            throttle.Property(t => t.Channel).HasConversion<string>().HasMaxLength(16);
            throttle.Property(t => t.DownReason).HasMaxLength(500);
        });

        modelBuilder.Entity<PushTally>(tally =>
        {
            tally.HasKey(t => new { t.PushId, t.Channel });
            tally.Property(t => t.Channel).HasConversion<string>().HasMaxLength(16);
            tally.HasOne<Push>().WithMany().HasForeignKey(t => t.PushId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.Actor).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.Detail).HasMaxLength(2000);
            entry.HasIndex(e => e.At);
        });

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.HasKey(t => t.Name);
            token.Property(t => t.Name).HasMaxLength(128);
            token.Property(t => t.Value).HasMaxLength(2048);
        });

        modelBuilder.Entity<ClusterLease>(lease =>
        {
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(128);
            lease.Property(l => l.Holder).HasMaxLength(128);
        });

        modelBuilder.Entity<ProtectionKey>().ToTable("DataProtectionKeys");

        modelBuilder.Entity<InboundReceipt>(receipt =>
        {
            receipt.HasKey(r => new { r.Channel, r.MessageKey });
            receipt.Property(r => r.Channel).HasMaxLength(16);
            receipt.Property(r => r.MessageKey).HasMaxLength(128);
            receipt.HasIndex(r => r.ReceivedAt);
        });

        modelBuilder.Entity<RequestNonce>(nonce =>
        {
            nonce.HasKey(n => new { n.Channel, n.Nonce });
            nonce.Property(n => n.Channel).HasMaxLength(16);
            nonce.Property(n => n.Nonce).HasMaxLength(128);
            nonce.Property(n => n.BodyHash).HasMaxLength(64);
            nonce.HasIndex(n => n.SeenAt);
        });

        modelBuilder.Entity<LoginFailureTally>(tally =>
        {
            tally.ToTable("LoginFailures");
            tally.HasKey(t => t.Key);
            tally.Property(t => t.Key).HasMaxLength(128);
            tally.HasIndex(t => t.LastFailureAt);
        });

        modelBuilder.Entity<AdminSession>(session =>
        {
            session.Property(s => s.Id).HasMaxLength(64);
            session.HasIndex(s => s.LastSeenAt);
        });

        modelBuilder.Entity<AdminCredential>(credential =>
        {
            credential.HasKey(c => c.Name);
            credential.Property(c => c.Name).HasMaxLength(64);
            credential.Property(c => c.Salt).HasMaxLength(64);
            credential.Property(c => c.Fingerprint).HasMaxLength(128);
        });
    }
}
