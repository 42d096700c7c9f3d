using System.Globalization;
using System.Text;

namespace HyperFunctions.Benchmarks;

/// <summary>
/// A fixed, seeded sequence of venue-shaped frames (the "recording"): l2Book with 10 levels a side,
/// trades, bbo and allMids in the proportions a BTC/ETH/SOL subscription sees.
/// </summary>
internal static class RecordedStream
{
    private static readonly string[] Coins = ["BTC", "ETH", "SOL"];

    public static byte[][] Create(int count, int seed = 7)
    {
        var random = new Random(seed);
        var frames = new byte[count][];
        var time = 1_700_000_000_000L;
        var tid = 100_000_000_000_000L;
        for (var i = 0; i < count; i++)
        {
            time += random.Next(1, 50);
            var coin = Coins[i % Coins.Length];
            var mid = coin switch { "BTC" => 67_000m, "ETH" => 3_500m, _ => 150m } + (random.Next(-500, 500) / 10m);
            var json = (i % 10) switch
            {
                < 5 => L2Book(coin, time, mid, random),
                < 8 => Trades(coin, time, mid, random, ref tid),
                8 => Bbo(coin, time, mid),
                _ => AllMids(mid),
            };
            frames[i] = Encoding.UTF8.GetBytes(json);
        }

        return frames;
    }

    private static string L2Book(string coin, long time, decimal mid, Random random)
    {
        var sb = new StringBuilder(1400);
        sb.Append(CultureInfo.InvariantCulture, $"{{\"channel\":\"l2Book\",\"data\":{{\"coin\":\"{coin}\",\"time\":{time},\"levels\":[[");
        for (var side = 0; side < 2; side++)
        {
            for (var l = 0; l < 10; l++)
            {
                var px = side == 0 ? mid - (l + 1) : mid + (l + 1);
                sb.Append(CultureInfo.InvariantCulture, $"{{\"px\":\"{px}\",\"sz\":\"{random.Next(1, 5000) / 1000m}\",\"n\":{random.Next(1, 9)}}}");
                sb.Append(l < 9 ? "," : string.Empty);
            }

            sb.Append(side == 0 ? "],[" : "]]}}");
        }

        return sb.ToString();
    }

    private static string Trades(string coin, long time, decimal mid, Random random, ref long tid)
    {
        tid += random.Next(1, 1000);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"channel\":\"trades\",\"data\":[{{\"coin\":\"{coin}\",\"side\":\"B\",\"px\":\"{mid}\",\"sz\":\"0.0147\",\"hash\":\"0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908\",\"time\":{time},\"tid\":{tid},\"users\":[\"0x1111111111111111111111111111111111111111\",\"0x2222222222222222222222222222222222222222\"]}}]}}");
    }

    private static string Bbo(string coin, long time, decimal mid) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"channel\":\"bbo\",\"data\":{{\"coin\":\"{coin}\",\"time\":{time},\"bbo\":[{{\"px\":\"{mid - 1}\",\"sz\":\"1.5\",\"n\":2}},{{\"px\":\"{mid + 1}\",\"sz\":\"0.7\",\"n\":1}}]}}}}");

    private static string AllMids(decimal mid) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"channel\":\"allMids\",\"data\":{{\"mids\":{{\"BTC\":\"{mid}\",\"ETH\":\"3500.5\",\"SOL\":\"150.25\",\"DOGE\":\"0.1234\",\"AVAX\":\"35.1\",\"LINK\":\"14.2\",\"ARB\":\"1.05\",\"OP\":\"2.2\",\"SUI\":\"1.7\",\"APT\":\"9.3\"}}}}}}");
}
