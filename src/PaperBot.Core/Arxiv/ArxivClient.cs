using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Digests;

namespace PaperBot.Core.Arxiv;

/// <summary>Asks the arXiv API about many papers in one request (<c>id_list</c>), paced by <see cref="ArxivGate"/>.</summary>
public sealed class ArxivClient(HttpClient http, ArxivGate gate, IOptions<ArxivOptions> options, TimeProvider clock, ILogger<ArxivClient> logger)
{
    public const string HttpClientName = "arxiv";

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// The entries arXiv has for these ids. Ids it does not know are simply absent, and so are ids it cannot have
    /// issued (<see cref="ArxivIds.IsPlausible"/>), which are not sent: arXiv would refuse the whole request. When it
    /// refuses one all the same, naming it, the others are asked again without it (one request more, 3 s later).
    /// </summary>
    /// <exception cref="ArxivUnavailableException">arXiv did not answer in time, answered an error, or not with a feed.</exception>
    public async Task<IReadOnlyList<ArxivMetadata>> FetchAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var asked = new List<string>();
        foreach (var id in ids)
        {
            if (ArxivIds.IsPlausible(id))
                asked.Add(id);
            else
                logger.LogWarning("arxiv: {Id} is not an arXiv id (no such month); not asked", id);
        }

        while (asked.Count > 0)
        {
            try
            {
                return await RequestAsync(asked, cancellationToken);
            }
            catch (ArxivUnavailableException e) when (asked.Find(id => string.Equals(id, e.RefusedId, StringComparison.OrdinalIgnoreCase)) is { } refused)
            {
                logger.LogWarning("arxiv: {Id} refused ({Reason}); the other papers are asked again without it", refused, e.Message);
                asked.Remove(refused);
            }
        }

        return [];
    }

    private async Task<IReadOnlyList<ArxivMetadata>> RequestAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var url = $"{options.Value.ApiBaseUrl}?id_list={Uri.EscapeDataString(string.Join(",", ids))}&max_results={ids.Count.ToString(CultureInfo.InvariantCulture)}";
        return await gate.RunAsync(async token =>
        {
            using var timeout = new CancellationTokenSource(options.Value.Timeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            try
            {
                using var response = await http.GetAsync(url, linked.Token);
                var body = await response.Content.ReadAsStringAsync(linked.Token);
                if (!response.IsSuccessStatusCode)
                    throw ArxivAtom.RefusalIn(body) ?? new ArxivUnavailableException($"HTTP {(int)response.StatusCode}");
                return ArxivAtom.Parse(body);
            }
            catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
            {
                throw new ArxivUnavailableException($"no answer within {options.Value.Timeout.TotalSeconds:0.#} s", e);
            }
            catch (HttpRequestException e)
            {
                throw new ArxivUnavailableException(e.Message, e);
            }
        }, cancellationToken);
    }
}
