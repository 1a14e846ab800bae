using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Teams;

/// <summary>In Development, makes sure the team <c>dev</c> exists with <c>Dev:ApiKey</c> as its key (idempotent).</summary>
internal sealed partial class DevTeamSeeder(TeamStore teams, IOptions<DevOptions> options, ILogger<DevTeamSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var apiKey = options.Value.ApiKey;
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return;
        }
        var teamId = Ids.Derived(Ids.TeamPrefix, "dev:" + ApiKeys.Hash(apiKey));
        if (await teams.FindTeamIdByApiKeyAsync(apiKey, cancellationToken) is not null)
        {
            LogDevTeam(logger, teamId);
            return;
        }
        await teams.CreateAsync(teamId, "dev", apiKey, cancellationToken);
        LogDevTeam(logger, teamId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Development team 'dev' is {TeamId}")]
    private static partial void LogDevTeam(ILogger logger, string teamId);
}
