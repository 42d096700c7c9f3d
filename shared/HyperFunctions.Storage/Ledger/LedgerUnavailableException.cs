namespace HyperFunctions.Storage.Ledger;

/// <summary>A read the caller needs could not be served because the ledger is not usable.</summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException(LocalHold hold, Exception inner) : base(hold.Message, inner) => Hold = hold;

    public LedgerUnavailableException() : base("The safety ledger is unavailable.") => Hold = null!;

    public LedgerUnavailableException(string message) : base(message) => Hold = null!;

    public LedgerUnavailableException(string message, Exception innerException) : base(message, innerException) => Hold = null!;

    public LocalHold Hold { get; }
}
