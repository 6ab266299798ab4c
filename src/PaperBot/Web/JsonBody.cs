using System.Buffers;
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

        // The body stays in Kestrel's pooled buffers until it is whole: no copy and no buffer of our own per request.
        var body = request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                body.AdvanceTo(buffer.End);
                return (null, TooLarge(maxBytes));
            }

            if (!read.IsCompleted)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                var value = buffer.IsSingleSegment
                    ? JsonSerializer.Deserialize<T>(buffer.FirstSpan, options)
                    : JsonSerializer.Deserialize<T>(buffer.ToArray(), options);
                return value is null ? (null, Problem("the body must be a JSON object")) : (value, null);
            }
            catch (JsonException error)
            {
                return (null, Problem($"the body is not valid JSON (line {error.LineNumber + 1})"));
            }
            catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
            {
                // Thrown by a converter on a well-formed value it cannot hold, e.g. a Unix date beyond year 9999.
                return (null, Problem("the body holds a value out of range"));
            }
            finally
            {
                body.AdvanceTo(buffer.End);
            }
        }
    }

    public static IResult Problem(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new ErrorBody(message), statusCode: status);

    private static IResult TooLarge(int maxBytes) => Problem($"the body is larger than {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);

    public sealed record ErrorBody(string Error);
}
