using Azure;
using HyperFunctions.Domain.Safety;

namespace HyperFunctions.Storage.Ledger;

/// <summary>The state row as read, with the ETag a conditional write must match.</summary>
public sealed record LedgerSnapshot(SafetyState State, ETag ETag, int? SchemaVersion);
