using PaperBot.Admin;
using PaperBot.Core.Subscribers;

namespace PaperBot.Pages.Admin;

/// <summary>The subscribers table; its page number is <c>?p=</c> because Razor Pages keeps <c>page</c> for the page's own name.</summary>
public sealed class SubscribersModel(SubscriberTable table, AdminTime time) : AdminPage
{
    public AdminTime Time => time;
    public string? Q { get; private set; }
    public Channel? Channel { get; private set; }
    public SubscriberStatus? Status { get; private set; }
    public bool OldestFirst { get; private set; }
    public SubscriberPage Result { get; private set; } = null!;

    public async Task OnGetAsync(string? q, string? channel, string? status, string? sort, int? p, CancellationToken cancellationToken)
    {
        Q = q?.Trim() is { Length: > 0 and <= 200 } search ? search : null;
        Channel = Enum.TryParse<Channel>(channel, ignoreCase: true, out var c) ? c : null;
        Status = Enum.TryParse<SubscriberStatus>(status, ignoreCase: true, out var s) ? s : null;
        OldestFirst = sort == "oldest";
        Result = await table.ReadAsync(new SubscriberQuery(Q, Channel, Status, OldestFirst, p ?? 1), cancellationToken);
    }
}
