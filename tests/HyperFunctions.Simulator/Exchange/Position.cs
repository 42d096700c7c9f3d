namespace HyperFunctions.Simulator.Exchange;

/// <summary>What a fill did to a position, as reported in the fill.</summary>
internal readonly record struct FillEffect(decimal StartPosition, string Dir, decimal ClosedPnl);

/// <summary>A one-way position in one coin.</summary>
internal sealed class Position
{
    public decimal Szi { get; set; }

    public decimal EntryPx { get; set; }

    /// <summary>Funding paid (positive) or received (negative) over the account's life in this coin.</summary>
    public decimal FundingAllTime { get; set; }

    public decimal FundingSinceOpen { get; set; }

    public decimal FundingSinceChange { get; set; }

    public FillEffect Apply(bool isBuy, decimal size, decimal price)
    {
        var start = Szi;
        var signed = isBuy ? size : -size;
        if (start == 0m || Math.Sign(start) == Math.Sign(signed))
        {
            var startAbs = Math.Abs(start);
            EntryPx = ((startAbs * EntryPx) + (size * price)) / (startAbs + size);
            Szi = start + signed;
            if (start == 0m)
            {
                FundingSinceOpen = 0m;
            }

            FundingSinceChange = 0m;
            return new FillEffect(start, isBuy ? "Open Long" : "Open Short", 0m);
        }

        var closed = Math.Min(Math.Abs(start), size) * (price - EntryPx) * Math.Sign(start);
        Szi = start + signed;
        FundingSinceChange = 0m;
        string dir;
        if (Szi == 0m)
        {
            dir = start > 0m ? "Close Long" : "Close Short";
            EntryPx = 0m;
        }
        else if (Math.Sign(Szi) == Math.Sign(start))
        {
            dir = start > 0m ? "Close Long" : "Close Short";
        }
        else
        {
            dir = start > 0m ? "Long > Short" : "Short > Long";
            EntryPx = price;
            FundingSinceOpen = 0m;
        }

        return new FillEffect(start, dir, closed);
    }
}
