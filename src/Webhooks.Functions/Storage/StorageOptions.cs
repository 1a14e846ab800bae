using System.ComponentModel.DataAnnotations;

namespace Webhooks.Functions.Storage;

internal sealed class StorageOptions
{
    /// <summary>Lowercase letters and digits put before every table, queue and container name (test isolation).</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,19}$|^$", ErrorMessage = "Storage:Prefix must be empty or 1-20 lowercase letters/digits starting with a letter.")]
    public string Prefix { get; set; } = "";
}
