using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Functions.Api;
using Webhooks.Functions.Delivery;
using Webhooks.Functions.Teams;

namespace Webhooks.Functions.Portal.Pages;

/// <summary>
/// Team settings (<c>GET|PATCH /v1/team</c>) and the signing secret (<c>GET /v1/team/signing-secret</c>, <c>POST
/// /v1/team/signing-secret/rotate</c>). The secret is shown only in the answer to a form post, never in a URL.
/// </summary>
internal sealed class TeamModel(TeamStore teams, RetryPolicies policies, IOptions<SecurityOptions> security) : PortalPageModel
{
    private const int MaxPolicyNameLength = 64;

    [BindProperty]
    public string? DefaultWebhookUrl { get; set; }

    [BindProperty]
    public string? RetryPolicy { get; set; }

    [BindProperty]
    public string? OperationsWebhookUrl { get; set; }

    public Team? Team { get; private set; }
    public string CurrentPolicy => policies.ForTeam(Team?.RetryPolicy).Name;
    public IEnumerable<string> PolicyNames => policies.Names;
    public string? Message { get; private set; }
    public string? RevealedSecret { get; private set; }
    public DateTimeOffset? PreviousExpiresAt { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Team = await teams.GetAsync(TeamId, cancellationToken);

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var url = ReadUrl(validation, DefaultWebhookUrl, "Default webhook URL");
        var operationsUrl = ReadUrl(validation, OperationsWebhookUrl, "Operations webhook URL");
        var policy = RetryPolicy?.Trim();
        if (string.IsNullOrEmpty(policy) || policy.Length > MaxPolicyNameLength || !policies.TryGet(policy, out _))
        {
            validation.Add("Retry policy", $"must be one of: {string.Join(", ", policies.Names)}.");
        }
        if (!Accept(validation))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Team = await teams.GetAsync(TeamId, cancellationToken);
            return Page();
        }
        Team = await teams.UpdateSettingsAsync(
            TeamId, Optional<string?>.Of(url), Optional<string?>.Of(policy), Optional<string?>.Of(operationsUrl), Optional<bool>.Absent, cancellationToken);
        DefaultWebhookUrl = null;
        RetryPolicy = null;
        OperationsWebhookUrl = null;
        Message = "Settings saved.";
        return Page();
    }

    public async Task<IActionResult> OnPostRevealAsync(CancellationToken cancellationToken)
    {
        Team = await teams.GetAsync(TeamId, cancellationToken);
        RevealedSecret = Team!.NewestSecret.Secret;
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken)
    {
        Team = await teams.RotateSecretAsync(TeamId, cancellationToken);
        RevealedSecret = Team.NewestSecret.Secret;
        PreviousExpiresAt = Team.Secrets[1].ExpiresAt;
        Message = "The signing secret was rotated. Give your receivers the new secret within 24 hours.";
        return Page();
    }

    /// <summary>An optional URL field of the form: empty clears the setting.</summary>
    private string? ReadUrl(RequestValidation validation, string? text, string label)
    {
        var url = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (url is not null && WebhookUrlRules.Check(url, security.Value.RequireHttpsWebhooks) is { } urlError)
        {
            validation.Add(label, urlError);
        }
        return url;
    }
}
