using System.Diagnostics.Tracing;
using System.Globalization;

namespace BackOffice.Benchmarks;

/// <summary>
/// Where a run's memory goes, by type: the runtime raises an allocation tick about every 100 KB
/// allocated, naming the type of the object that crossed the mark, so the ticks per type are a
/// sample of the bytes allocated per type. On with <c>--allocations</c>; the accounting run
/// prints it after each step, largest first, to standard error.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    /// <summary>The run's sampler, when on.</summary>
    public static AllocationSampler? Current { get; set; }

    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is { } start && start.StartsWith("GCStart", StringComparison.Ordinal) && eventData.PayloadNames is { } names)
        {
            // Why each collection ran, by generation (reasons as the runtime numbers them: 0 small
            // allocations, 1 induced, 4 large objects).
            string why = string.Create(CultureInfo.InvariantCulture,
                $"(collection gen{eventData.Payload![names.IndexOf("Depth")]} reason {eventData.Payload[names.IndexOf("Reason")]})");
            lock (_lock)
            {
                _bytes[why] = _bytes.GetValueOrDefault(why) + 1;
            }
            return;
        }
        // GCAllocationTick_V4: AllocationAmount64 and TypeName among its payload.
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }
        int amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        int type = eventData.PayloadNames.IndexOf("TypeName");
        if (amount < 0 || type < 0)
        {
            return;
        }
        long bytes = Convert.ToInt64(eventData.Payload![amount], CultureInfo.InvariantCulture);
        string typeName = eventData.Payload[type] as string ?? "?";
        if (eventData.PayloadNames.IndexOf("AllocationKind") is int kind and >= 0 && Convert.ToInt32(eventData.Payload[kind], CultureInfo.InvariantCulture) == 1)
        {
            typeName += " (large object heap)";
        }
        lock (_lock)
        {
            _bytes[typeName] = _bytes.GetValueOrDefault(typeName) + bytes;
        }
    }

    /// <summary>The <paramref name="top"/> types by sampled bytes since the last print, with their share.</summary>
    public void Print(TextWriter output, int top = 25)
    {
        lock (_lock)
        {
            if (_bytes.Count == 0)
            {
                return;
            }
            foreach (var (why, count) in _bytes.Where(p => p.Key.StartsWith("(collection", StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,6} {why}"));
                _bytes.Remove(why);
            }
            long total = _bytes.Values.Sum();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocations sampled: {total / 1048576.0:F0} MiB"));
            foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0,10:F1} MiB {100.0 * bytes / total,5:F1}%  {type}"));
            }
            _bytes.Clear();
        }
    }
}
