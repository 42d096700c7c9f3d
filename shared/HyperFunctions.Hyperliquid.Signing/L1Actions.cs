using System.Text.Json.Nodes;

namespace HyperFunctions.Hyperliquid.Signing;

/// <summary>
/// The cancel-side L1 actions, built with their keys in exactly the order the venue hashes them
/// (docs/signing.md, /work/shared/hyperliquid.md "REST /exchange"), and the signed <c>/exchange</c> body.
/// </summary>
public static class L1Actions
{
    /// <summary><c>{"type":"cancel","cancels":[{"a": asset, "o": oid}, …]}</c>.</summary>
    /// <exception cref="ArgumentException">No cancels, or a negative asset or oid.</exception>
    public static JsonObject Cancel(IEnumerable<(int Asset, long Oid)> cancels)
    {
        ArgumentNullException.ThrowIfNull(cancels);
        var items = new JsonArray();
        foreach (var (asset, oid) in cancels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(asset, nameof(cancels));
            ArgumentOutOfRangeException.ThrowIfNegative(oid, nameof(cancels));
            items.Add(new JsonObject { ["a"] = asset, ["o"] = oid });
        }

        return items.Count == 0
            ? throw new ArgumentException("A cancel action needs at least one order.", nameof(cancels))
            : new JsonObject { ["type"] = "cancel", ["cancels"] = items };
    }

    /// <summary><c>{"type":"cancelByCloid","cancels":[{"asset": asset, "cloid": "0x…"}, …]}</c>; cloids are sent in lower case.</summary>
    /// <exception cref="ArgumentException">No cancels, a negative asset, or a cloid that is not 0x + 32 hex.</exception>
    public static JsonObject CancelByCloid(IEnumerable<(int Asset, string Cloid)> cancels)
    {
        ArgumentNullException.ThrowIfNull(cancels);
        var items = new JsonArray();
        foreach (var (asset, cloid) in cancels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(asset, nameof(cancels));
            if (!Signing.Cloid.IsValid(cloid?.ToLowerInvariant()))
            {
                throw new ArgumentException($"'{cloid}' is not a cloid (0x + 32 hex).", nameof(cancels));
            }

            items.Add(new JsonObject { ["asset"] = asset, ["cloid"] = cloid!.ToLowerInvariant() });
        }

        return items.Count == 0
            ? throw new ArgumentException("A cancelByCloid action needs at least one order.", nameof(cancels))
            : new JsonObject { ["type"] = "cancelByCloid", ["cancels"] = items };
    }

    /// <summary>
    /// The dead man's switch: <c>{"type":"scheduleCancel","time": ms}</c> cancels every open order of the
    /// account at that time; without a time (<paramref name="timeMs"/> null) it clears the schedule.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is negative.</exception>
    public static JsonObject ScheduleCancel(long? timeMs)
    {
        var action = new JsonObject { ["type"] = "scheduleCancel" };
        if (timeMs is { } time)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(time, nameof(timeMs));
            action["time"] = time;
        }

        return action;
    }

    /// <summary>
    /// The body POSTed to <c>/exchange</c>: <c>{"action","nonce","signature":{"r","s","v"},"vaultAddress"}</c>,
    /// the action as hashed (<see cref="ActionHasher.Canonicalize"/>). The key is never part of the result.
    /// </summary>
    /// <exception cref="InvalidPrivateKeyException">The key is missing or malformed.</exception>
    public static JsonObject SignedBody(string privateKeyHex, JsonObject action, long nonce, bool isMainnet, string? vaultAddress = null)
    {
        var canonical = ActionHasher.Canonicalize(action);
        var signature = HyperliquidSigner.SignL1Action(privateKeyHex, canonical, nonce, vaultAddress, isMainnet);
        return new JsonObject
        {
            ["action"] = canonical,
            ["nonce"] = nonce,
            ["signature"] = new JsonObject { ["r"] = signature.R, ["s"] = signature.S, ["v"] = signature.V },
            ["vaultAddress"] = vaultAddress?.ToLowerInvariant(),
        };
    }
}
