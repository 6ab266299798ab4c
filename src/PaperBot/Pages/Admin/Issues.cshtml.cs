using Microsoft.AspNetCore.Mvc;
using PaperBot.Admin;
using PaperBot.Core.Digests;
using PaperBot.Core.Issues;

namespace PaperBot.Pages.Admin;

/// <summary>The list of issues and the import form: upload or paste, the errors listed with their line numbers.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 2 * MaxBytes)]
[RequestSizeLimit(2 * MaxBytes)]
public sealed class IssuesModel(IssueReader reader, IssueImporter importer, AdminTime time) : AdminPage
{
    /// <summary>The largest upload: a saved WeChat article page; the parser holds each format to its own limit.</summary>
    public const int MaxBytes = DigestParser.MaxHtmlInputBytes;

    public AdminTime Time => time;
    public IReadOnlyList<IssueSummary> Issues { get; private set; } = [];
    public IReadOnlyList<DigestError> Errors { get; private set; } = [];
    public string Pasted { get; private set; } = "";
    public string Format { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Issues = await reader.ListAsync(includeUnpublished: true, limit: 500, cancellationToken);

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? text, string? format, CancellationToken cancellationToken)
    {
        Format = format ?? "";
        Pasted = file is null ? text ?? "" : "";
        var (content, name, problem) = await ReadAsync(file, text, cancellationToken);
        if (problem is not null)
            return await ShowAsync([new DigestError(0, problem)], cancellationToken);

        DigestFormat? chosen = format switch
        {
            { Length: > 0 } given when Enum.TryParse<DigestFormat>(given, ignoreCase: true, out var parsed) => parsed,
            _ => name is null ? null : DigestParser.FormatFromFileName(name),
        };
        switch (await importer.ImportAsync(content!, chosen, AdminLogin.Actor, cancellationToken))
        {
            case ImportOutcome.Imported imported:
                Notice($"Imported issue {imported.IssueId} with {imported.PaperCount} papers as a draft. Check the previews, then publish or schedule it."
                    + (imported.Untagged.Count > 0 ? $" No topic fits papers {string.Join(", ", imported.Untagged)}: tag them below, or no topic filter lets them through." : "")
                    + (imported.MetadataPending ? " arXiv did not answer; authors and abstracts will be filled in later." : ""));
                return Redirect($"/admin/issues/{imported.IssueId}");
            case ImportOutcome.AlreadyImported existing:
                Notice($"This digest was imported before, as issue {existing.IssueId} ({existing.PaperCount} papers); nothing changed.");
                return Redirect($"/admin/issues/{existing.IssueId}");
            case ImportOutcome.Invalid invalid:
                return await ShowAsync(invalid.Errors, cancellationToken);
            default:
                throw new InvalidOperationException("admin: unexpected import outcome");
        }
    }

    private async Task<IActionResult> ShowAsync(IReadOnlyList<DigestError> errors, CancellationToken cancellationToken)
    {
        Errors = errors;
        await OnGetAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static async Task<(string? Content, string? Name, string? Problem)> ReadAsync(IFormFile? file, string? text, CancellationToken cancellationToken)
    {
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxBytes)
                return (null, null, $"the file '{file.FileName}' is larger than 8 MB");
            using var reader = new StreamReader(file.OpenReadStream());
            return (await reader.ReadToEndAsync(cancellationToken), file.FileName, null);
        }

        if (string.IsNullOrWhiteSpace(text))
            return (null, null, "choose a file or paste a digest");
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
            return (null, null, "the pasted digest is larger than 8 MB");
        return (text, null, null);
    }
}
