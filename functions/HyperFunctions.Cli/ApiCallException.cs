namespace HyperFunctions.Cli;

/// <summary>
/// The ops API could not be reached or did not do what was asked; reported as one line on stderr with
/// <see cref="ExitCodes.ApiFailure"/> unless another code is given (e.g. the API's 400 is the caller's input).
/// The message names the request, the HTTP status and the API's problem text; never a key.
/// </summary>
public sealed class ApiCallException : Exception
{
    public ApiCallException()
    {
    }

    public ApiCallException(string message)
        : base(message)
    {
    }

    public ApiCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiCallException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.ApiFailure;
}
