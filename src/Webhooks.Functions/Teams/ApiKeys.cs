using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Functions.Teams;

internal static class ApiKeys
{
    public const string Prefix = "whk_";

    public static string Create() => Prefix + Ids.RandomString(40);

    public static string Hash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
