namespace HyperFunctions.Domain.Safety;

/// <summary>What the execution gate allows. Wire names: ARMED_LIVE, ARMED_SAFE, HALT.</summary>
public enum SafetyMode
{
    /// <summary>No orders at all; cancels are still allowed.</summary>
    Halt = 0,
    /// <summary>Reduce-only orders and cancels.</summary>
    ArmedSafe = 1,
    /// <summary>All orders.</summary>
    ArmedLive = 2,
}

public static class SafetyModeExtensions
{
    /// <summary>Higher is more permissive; automatic signals may only lower it.</summary>
    public static int Permissiveness(this SafetyMode mode) => (int)mode;

    public static bool IsMoreRestrictiveThan(this SafetyMode mode, SafetyMode other) => mode.Permissiveness() < other.Permissiveness();

    public static SafetyMode MostRestrictive(SafetyMode a, SafetyMode b) => a.Permissiveness() <= b.Permissiveness() ? a : b;

    public static string ToWire(this SafetyMode mode) => WireNames<SafetyMode>.ToWire(mode);
}
