using System.ComponentModel.DataAnnotations;
using Webhooks.Functions.Api.Documentation;

namespace Webhooks.Functions.Teams;

/// <summary>The body of <c>POST /v1/admin/teams</c> as the OpenAPI document shows it; <see cref="TeamsApi"/> validates the JSON itself.</summary>
internal sealed record CreateTeamRequest([property: Required, StringLength(TeamsApi.MaxNameLength)] string Name) : IApiExample<CreateTeamRequest>
{
    public static CreateTeamRequest Example => new("acme");
}
