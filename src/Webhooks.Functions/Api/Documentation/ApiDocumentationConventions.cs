using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Functions.Api.Documentation;

/// <summary>
/// Endpoint metadata for the answers a route gives beyond its handler's success: the filters and body readers
/// that can answer a request document those answers here, next to where they are added, and the OpenAPI document is
/// generated from this metadata (<see cref="ApiOperationDocumentation"/>).
/// </summary>
internal static class ApiDocumentationConventions
{
    public const string ProblemContentType = "application/problem+json";
    public const string JsonContentType = "application/json";

    /// <summary>The route demands <paramref name="scheme"/>: a missing or wrong key is a 401 with <c>WWW-Authenticate: Bearer</c>.</summary>
    public static TBuilder RequiresAuthentication<TBuilder>(this TBuilder builder, string scheme) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiSecurityMetadata(scheme))
            .ProducesProblemDocument(StatusCodes.Status401Unauthorized)
            .WithResponseHeader(StatusCodes.Status401Unauthorized, "WWW-Authenticate", "Always `Bearer`: send the key as `Authorization: Bearer <key>`.", ApiValueKind.Text);

    /// <summary>The route can refuse with 429 and a <c>Retry-After</c> in seconds.</summary>
    public static TBuilder MayAnswerTooManyRequests<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblemDocument(StatusCodes.Status429TooManyRequests)
            .WithResponseHeader(StatusCodes.Status429TooManyRequests, "Retry-After", "Seconds to wait before retrying.", ApiValueKind.Integer);

    /// <summary>The route answers 503 with a <c>Retry-After</c> in seconds while storage is not reachable or not set up.</summary>
    public static TBuilder MayAnswerServiceUnavailable<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblemDocument(StatusCodes.Status503ServiceUnavailable)
            .WithResponseHeader(StatusCodes.Status503ServiceUnavailable, "Retry-After", "Seconds to wait before retrying.", ApiValueKind.Integer);

    /// <summary>
    /// The route reads a JSON body of shape <typeparamref name="TRequest"/> through <see cref="JsonBody"/> and
    /// <see cref="RequestValidation"/>: 400 with an <c>errors</c> map, 413 beyond the body limit, 415 for another media type.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder, bool isOptional = false) where TRequest : notnull =>
        builder.WithMetadata(new ApiRequestBodyMetadata(typeof(TRequest), isOptional))
            .ProducesValidationProblemDocument()
            .ProducesProblemDocument(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblemDocument(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>The route takes an <c>Idempotency-Key</c> (<see cref="IdempotencyHandling"/>): 409 while the first request runs, 422 for another body.</summary>
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new ApiParameterMetadata(IdempotencyHandling.Header, ApiParameterLocation.Header,
                "Makes the create call safe to retry: the same key with the same body within 24 h returns the first answer and creates nothing.",
                ApiValueKind.Text) { MaxLength = IdempotencyStore.MaxKeyLength })
            .WithResponseHeader(StatusCodes.Status201Created, IdempotencyHandling.ReplayedHeader,
                "`true` when this answer is the first answer again, for a repeated Idempotency-Key.", ApiValueKind.Text)
            .ProducesProblemDocument(StatusCodes.Status409Conflict)
            .ProducesProblemDocument(StatusCodes.Status422UnprocessableEntity);

    /// <summary>The route answers 201 with <typeparamref name="TResponse"/> and a <c>Location</c> of the created resource.</summary>
    public static RouteHandlerBuilder ProducesCreated<TResponse>(this RouteHandlerBuilder builder) =>
        builder.Produces<TResponse>(StatusCodes.Status201Created, JsonContentType)
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The path of the created resource.", ApiValueKind.UriReference);

    /// <summary>The route pages with <c>cursor</c> and <c>limit</c>; the answer's <c>next_cursor</c> is the next page's cursor.</summary>
    public static RouteHandlerBuilder AcceptsCursorPaging(this RouteHandlerBuilder builder, int defaultLimit, int maxLimit) =>
        builder.WithQueryParameter(new ApiParameterMetadata("cursor", ApiParameterLocation.Query,
                "The `next_cursor` of the previous page; omit it for the first page.", ApiValueKind.Text))
            .WithQueryParameter(new ApiParameterMetadata("limit", ApiParameterLocation.Query,
                $"Items per page, {defaultLimit} when omitted.", ApiValueKind.Integer) { Minimum = 1, Maximum = maxLimit });

    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, ApiParameterMetadata parameter) =>
        builder.WithMetadata(parameter);

    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int statusCode, string name, string description, ApiValueKind kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiResponseHeaderMetadata(statusCode, name, description, kind));

    public static TBuilder ProducesProblemDocument<TBuilder>(this TBuilder builder, int statusCode) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [ProblemContentType]));

    public static TBuilder ProducesValidationProblemDocument<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), [ProblemContentType]));
}
