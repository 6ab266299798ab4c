using System.Text.Json;

namespace PaperBot.Web;

/// <summary>Reads a JSON request body with a size cap, turning every kind of bad body into a short message.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, int maxBytes, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null ? (null, Problem("the body must be a JSON object")) : (value, null);
        }
        catch (JsonException error)
        {
            return (null, Problem($"the body is not valid JSON (line {error.LineNumber + 1})"));
        }
    }

    public static IResult Problem(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new ErrorBody(message), statusCode: status);

    private static IResult TooLarge(int maxBytes) => Problem($"the body is larger than {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);

    public sealed record ErrorBody(string Error);
}
