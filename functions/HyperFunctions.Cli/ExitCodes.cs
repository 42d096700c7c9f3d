namespace HyperFunctions.Cli;

/// <summary>Process exit codes shared by every hf command (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed that is not the caller's input (unexpected error).</summary>
    public const int Failure = 1;

    /// <summary>The command line, an input value or the environment (e.g. a missing key) is invalid; also the API's 400.</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// The ops API did not do what was asked, or we cannot tell: unreachable, no answer within --timeout, 401/403/404,
    /// 5xx (also a kill switch whose ledger write failed: 503 "unavailable"), an answer that is not what the route sends.
    /// For hf halt: the HALT is NOT confirmed.
    /// </summary>
    public const int ApiFailure = 3;

    /// <summary>hf halt --cancel-all: the HALT is in effect, but the kill switch did not finish (an order not cancelled,
    /// the cancel-all failed, or scheduleCancel not armed). Open orders may remain at the venue: the operator must look.</summary>
    public const int KillSwitchIncomplete = 4;

    /// <summary>The safety state refused the command (the API's 409), e.g. hf promote from HALT or with an active condition. Nothing changed.</summary>
    public const int Refused = 5;
}
