namespace HyperFunctions.Configuration;

/// <summary>The configuration is invalid; <see cref="Errors"/> each name the key or variable at fault.</summary>
public sealed class ConfigurationValidationException : Exception
{
    public ConfigurationValidationException(IReadOnlyList<string> errors)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    public ConfigurationValidationException() : this([]) { }

    public ConfigurationValidationException(string message) : this([message]) { }

    public ConfigurationValidationException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
