using HyperFunctions.Domain.Execution;
using HyperFunctions.Storage;
using HyperFunctions.Functions.Hosting;
using HyperFunctions.Storage.Execution;

namespace HyperFunctions.Functions.Execution;

/// <summary>What <see cref="OrderIntentSubmitter.SubmitAsync"/> did: the recorded intent, whether this call created it, whether a message was queued, and whether the cloid was already taken by other order fields.</summary>
public sealed record SubmitResult(OrderRecord Record, bool Created, bool Queued, bool Conflict);

/// <summary>
/// The one way an intent enters execution (POST /api/orders, copy trading): record it (RECEIVED) in the order
/// table, THEN put one envelope message on <c>order-intents</c>. An intent that already exists without a final
/// result is queued again (the first submit may have died between the two steps; the executor makes a second
/// message harmless). The recorded intent is what is queued.
/// </summary>
public sealed class OrderIntentSubmitter(OrderStore store, StorageClients storage, QueueNudge nudge, TimeProvider time)
{
    /// <param name="existingWins">
    /// When the cloid is recorded with other order fields: false → nothing is queued and the result says Conflict (the
    /// POST answers 409); true → the recorded intent stands and is queued if not final (a re-derived copy intent whose
    /// size came out differently keeps the first one).
    /// </param>
    public async Task<SubmitResult> SubmitAsync(OrderIntent intent, string actor, bool existingWins, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var (record, created) = await store.RecordAsync(intent, actor, time.GetUtcNow(), ct);
        if (!created && record.Intent != intent && !existingWins) return new SubmitResult(record, false, false, true);
        var queue = created || !record.Status.IsTerminal();
        if (queue)
        {
            await OrderIntentMessage.From(record.Intent).SendAsync(storage.Queues, ct);
            nudge.Nudge(OrderIntentMessage.QueueName); // a self-host listener in this process polls now, not after its back-off
        }
        return new SubmitResult(record, created, queue, false);
    }
}
