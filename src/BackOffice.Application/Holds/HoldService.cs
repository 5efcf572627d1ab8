using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Holds;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Application.Holds;

/// <summary>What the front office asks for before it trades (or a client before withdrawing).</summary>
/// <param name="Asset">A currency for cash holds, an ISIN for sale holds.</param>
/// <param name="Lifetime">How long the hold lives (default <see cref="HoldPolicy.LifetimeDefault"/>).</param>
public sealed record HoldRequest(string Account, HoldKind Kind, string Asset, decimal Amount, string? Reference, Duration? Lifetime);

/// <summary>Buying power of one account in one asset, as the policy computes it.</summary>
/// <param name="Own">The client's own credit balance (money or securities).</param>
/// <param name="Reserved">What open holds reserve.</param>
public sealed record BuyingPower(string Account, string Asset, decimal Own, decimal Reserved, decimal Available);

/// <summary>
/// Buying-power holds (<see cref="HoldPolicy"/>): placing one is a command that reads the account's
/// balance and open holds under the write lock, so two concurrent holds can never both spend the
/// same cash; it books the memo entry that reserves the amount, or is refused with what is
/// available. A hold ends by the reversal of its entry: consumed by its fill, released on request,
/// or expired (holds past their time are reversed before any new hold on the account is decided,
/// and by <see cref="ExpireAsync"/>).
/// </summary>
public sealed class HoldService(CommandProcessor processor, IClock clock, TradeBookingPolicyCodes? codes = null)
{
    private readonly TradeBookingPolicyCodes _codes = codes ?? new TradeBookingPolicyCodes("2010", "2100");

    /// <summary>Places a hold; the result reads <c>hold ID placed: ...</c>.</summary>
    public async Task<CommandOutcome> PlaceAsync(HoldRequest request, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        string payload = string.Create(CultureInfo.InvariantCulture,
            $"{request.Account}\n{request.Kind}\n{request.Asset}\n{request.Amount}\n{request.Reference}\n{request.Lifetime?.TotalSeconds}");
        var command = new CommandEnvelope("holds.place", actor, key, Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(payload)), payload);
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            Instant now = clock.GetCurrentInstant();
            // The id comes from the command's audit sequence: unique, and the same on a replay.
            string id = "H" + (unitOfWork.Head.Sequence.Value + 1).ToString(CultureInfo.InvariantCulture);
            var hold = new Hold(id, request.Account, request.Kind, request.Asset, request.Amount, request.Reference, now, now + (request.Lifetime ?? HoldPolicy.LifetimeDefault), actor);
            var drafts = new List<JournalEntryDraft>();
            Result<IReadOnlyList<JournalEntryDraft>> expired = await ExpiredAsync(unitOfWork, request.Account, now, ct);
            if (expired.Rejection is { } cannotExpire)
            {
                return cannotExpire;
            }
            drafts.AddRange(expired.Value);
            Result<BuyingPower> power = await PowerAsync(unitOfWork, hold, drafts, ct);
            if (power.Rejection is { } unknown)
            {
                return unknown;
            }
            if (HoldPolicy.Check(hold, power.Value.Available) is { } refused)
            {
                return refused;
            }
            await OpenSubLedgerAsync(unitOfWork, hold, ct);
            Result<IReadOnlyList<JournalEntryDraft>> entry = await EntryDrafts.DecideAsync(unitOfWork, [HoldPolicy.Entry(hold)], ct);
            if (entry.Rejection is { } invalid)
            {
                return invalid;
            }
            drafts.AddRange(entry.Value);
            return new CommandEffects(drafts, null, string.Create(CultureInfo.InvariantCulture,
                $"hold {id} placed: {hold.Amount} {hold.Asset} for {hold.Account} until {hold.ExpiresAt}; available after {power.Value.Available - hold.Amount}"))
            {
                Holds = [hold],
            };
        }, dryRun: false, cancellationToken);
    }

    /// <summary>The hold id in a placement's result.</summary>
    public static string PlacedId(string result) => result.Split(' ')[1];

    /// <summary>Ends an open hold: released (the order was cancelled) or consumed (its fill arrived and was booked apart).</summary>
    public async Task<CommandOutcome> EndAsync(string id, HoldStatus why, string? detail, string actor, CancellationToken cancellationToken)
    {
        Invariant.That(why is HoldStatus.Released or HoldStatus.Consumed, "a hold is ended on request by release or consumption");
        var command = new CommandEnvelope("holds." + why.ToString().ToLowerInvariant(), actor, IdempotencyKey.From($"holds.end/{id}"),
            Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(why + "\n" + id)), id);
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            IReadOnlyList<HeldEntry> found = await unitOfWork.ListHoldsAsync(new HoldQuery(Id: id), ct);
            if (found.Count == 0)
            {
                return new Rejection("hold.unknown", $"there is no hold {id}");
            }
            HeldEntry held = found[0];
            if (held.ReversalKey is not null)
            {
                return new Rejection("hold.ended", $"hold {id} is already {HoldPolicy.Status(held.Hold, held.ReversalKey, clock.GetCurrentInstant()).ToString().ToLowerInvariant()}");
            }
            Result<JournalEntryDraft> reversal = await ReverseAsync(unitOfWork, held, why, detail, clock.GetCurrentInstant(), ct);
            return reversal.Rejection is { } rejection
                ? rejection
                : new CommandEffects([reversal.Value], null, $"hold {id} {why.ToString().ToLowerInvariant()}");
        }, dryRun: false, cancellationToken);
        return outcome.Status == CommandStatus.Conflict
            ? new CommandOutcome(CommandStatus.Rejected, outcome.Result, new Rejection("hold.ended", $"hold {id} was already ended"), outcome.Sequence, [])
            : outcome;
    }

    /// <summary>Reverses every hold past its time (the sweep the scheduler runs); the result counts them.</summary>
    public async Task<CommandOutcome> ExpireAsync(string actor, CancellationToken cancellationToken)
    {
        Instant now = clock.GetCurrentInstant();
        var command = new CommandEnvelope("holds.expire", actor, IdempotencyKey.From("holds.expire/" + now.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)),
            Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(now.ToString())), null);
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            Result<IReadOnlyList<JournalEntryDraft>> expired = await ExpiredAsync(unitOfWork, null, now, ct);
            if (expired.Rejection is { } rejection)
            {
                return rejection;
            }
            return expired.Value.Count == 0
                ? new Rejection("hold.none-expired", "no hold is past its time")
                : new CommandEffects(expired.Value, null, string.Create(CultureInfo.InvariantCulture, $"expired {expired.Value.Count} holds"));
        }, dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Inside a trade's command: the open hold its fill consumes (same account, its reference the
    /// trade's source trade id), reversed; none when there is none.
    /// </summary>
    public static async Task<IReadOnlyList<JournalEntryDraft>> ConsumeAsync(IWriteUnitOfWork unitOfWork, string account, string sourceTradeId, long tradeId, Instant now,
        CancellationToken cancellationToken)
    {
        var drafts = new List<JournalEntryDraft>();
        foreach (HeldEntry held in await unitOfWork.ListHoldsAsync(new HoldQuery(Account: account, Reference: sourceTradeId, OpenOnly: true), cancellationToken))
        {
            Result<JournalEntryDraft> reversal = await ReverseAsync(unitOfWork, held, HoldStatus.Consumed, string.Create(CultureInfo.InvariantCulture, $"by trade {tradeId}"), now,
                cancellationToken);
            if (reversal.IsAccepted)
            {
                drafts.Add(reversal.Value);
            }
        }
        return drafts;
    }

    /// <summary>
    /// The decision that pays a withdrawal, run in a command of its own or in the approval of one
    /// above the limit: under the write lock it expires holds past their time, reads the account's
    /// available cash as a hold would, and books the payment or refuses with what is available.
    /// </summary>
    public Decide Withdraw(Withdrawal withdrawal) => async (unitOfWork, ct) =>
    {
        Instant now = clock.GetCurrentInstant();
        var drafts = new List<JournalEntryDraft>();
        Result<IReadOnlyList<JournalEntryDraft>> expired = await ExpiredAsync(unitOfWork, withdrawal.Account, now, ct);
        if (expired.Rejection is { } cannotExpire)
        {
            return cannotExpire;
        }
        drafts.AddRange(expired.Value);
        var probe = new Hold("?", withdrawal.Account, HoldKind.Withdrawal, withdrawal.Currency, withdrawal.Amount, withdrawal.Reference, now, now, "?");
        Result<BuyingPower> power = await PowerAsync(unitOfWork, probe, drafts, ct);
        if (power.Rejection is { } unknown)
        {
            return unknown;
        }
        if (WithdrawalPolicy.Check(withdrawal, power.Value.Available) is { } refused)
        {
            return refused;
        }
        if ((await unitOfWork.FindEntryKeysAsync([withdrawal.EntryKey], ct)).TryGetValue(withdrawal.EntryKey, out BookedKey paid))
        {
            return new Rejection("withdrawal.duplicate", string.Create(CultureInfo.InvariantCulture,
                $"withdrawal {withdrawal.Reference} of {withdrawal.Account} was already paid (entry {paid.EntryId})"));
        }
        Result<IReadOnlyList<JournalEntryDraft>> entry = await EntryDrafts.DecideAsync(unitOfWork, [WithdrawalPolicy.Entry(withdrawal, _codes.ClientMoney)], ct);
        if (entry.Rejection is { } invalid)
        {
            return invalid;
        }
        drafts.AddRange(entry.Value);
        return new CommandEffects(drafts, null, string.Create(CultureInfo.InvariantCulture,
            $"withdrawal {withdrawal.Reference} paid: {withdrawal.Amount} {withdrawal.Currency} from {withdrawal.Account}; available after {power.Value.Available - withdrawal.Amount}"));
    };

    /// <summary>Pays a withdrawal at once (one within the limit that needs no checker).</summary>
    public Task<CommandOutcome> WithdrawAsync(Withdrawal withdrawal, string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        string payload = string.Create(CultureInfo.InvariantCulture, $"{withdrawal.Account}\n{withdrawal.Currency}\n{withdrawal.Amount}\n{withdrawal.Reference}\n{withdrawal.ValueDate}");
        var command = new CommandEnvelope("withdrawals.pay", actor, key, Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(payload)), payload);
        return processor.ExecuteAsync(command, Withdraw(withdrawal), dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Inside a batch of trades (a file, a FIX stream): the open holds the batch's new fills consume,
    /// reversed. One read of the open holds for the whole batch, none of which may be open at all.
    /// </summary>
    public static async Task<IReadOnlyList<JournalEntryDraft>> ConsumeAsync(IWriteUnitOfWork unitOfWork, IReadOnlyList<TradeMessage> messages,
        IReadOnlyList<TradeMessageOutcome> outcomes, Instant now, CancellationToken cancellationToken)
    {
        // Most batches meet no open hold: the fills are indexed only when there is one to consume.
        IReadOnlyList<HeldEntry> open = await unitOfWork.ListHoldsAsync(new HoldQuery(OpenOnly: true), cancellationToken);
        if (open.Count == 0)
        {
            return [];
        }
        var fills = new Dictionary<(string Account, string Reference), long>();
        for (int i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Status == TradeMessageStatus.Booked && messages[i].Request is { } booked)
            {
                fills.TryAdd((booked.Account, booked.SourceTradeId), outcomes[i].TradeId);
            }
        }
        if (fills.Count == 0)
        {
            return [];
        }
        var drafts = new List<JournalEntryDraft>();
        foreach (HeldEntry held in open)
        {
            if (held.Hold.Reference is { } reference && fills.TryGetValue((held.Hold.Account, reference), out long tradeId))
            {
                Result<JournalEntryDraft> reversal = await ReverseAsync(unitOfWork, held, HoldStatus.Consumed, string.Create(CultureInfo.InvariantCulture, $"by trade {tradeId}"), now,
                    cancellationToken);
                if (reversal.IsAccepted)
                {
                    drafts.Add(reversal.Value);
                }
            }
        }
        return drafts;
    }

    /// <summary>The buying power of an account in an asset, read under the write lock (a dry run: nothing is written).</summary>
    public async Task<Result<BuyingPower>> BuyingPowerAsync(string account, HoldKind kind, string asset, CancellationToken cancellationToken)
    {
        Result<BuyingPower> power = new Rejection("hold.unknown", "not read");
        var hold = new Hold("?", account, kind, asset, 0, null, clock.GetCurrentInstant(), clock.GetCurrentInstant(), "?");
        var command = new CommandEnvelope("holds.buying-power", "reader", IdempotencyKey.From("holds.buying-power/" + Guid.NewGuid().ToString("N")), Sha256Hash.Zero, null);
        await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            Result<IReadOnlyList<JournalEntryDraft>> expired = await ExpiredAsync(unitOfWork, account, clock.GetCurrentInstant(), ct);
            power = expired.Rejection is { } rejection ? rejection : await PowerAsync(unitOfWork, hold, expired.Value, ct);
            return power.Rejection ?? new Rejection("hold.read-only", "read only");
        }, dryRun: true, cancellationToken);
        return power;
    }

    private async Task<Result<BuyingPower>> PowerAsync(IWriteUnitOfWork unitOfWork, Hold hold, IReadOnlyList<JournalEntryDraft> ending, CancellationToken ct)
    {
        string own = HoldPolicy.OwnAccount(hold, _codes.ClientMoney, _codes.ClientSecurities);
        ReferenceLookup lookup = await unitOfWork.ResolveAsync([own], [hold.Asset], ct);
        if (!lookup.Assets.TryGetValue(hold.Asset, out Asset? asset))
        {
            return new Rejection("hold.asset", $"'{hold.Asset}' is neither a currency nor an instrument of the books");
        }
        if (hold.IsSecurities == (asset.Kind == AssetKind.Currency))
        {
            return new Rejection("hold.asset", hold.IsSecurities ? "a sale hold reserves securities: give an ISIN" : "a cash hold reserves a currency: give its ISO code");
        }
        if (!lookup.LedgerAccounts.TryGetValue(own, out LedgerAccount? ownAccount))
        {
            return new Rejection("hold.account", $"{hold.Account} has no {(hold.IsSecurities ? "securities" : "money")} sub-ledger ({own}): it is not a client account with a balance");
        }
        decimal balance = asset.ToAmount(await unitOfWork.ReadBalanceUnitsAsync(ownAccount.Id, asset.Id, ct));
        // Holds being expired in this same command no longer reserve anything.
        HashSet<string> expiring = [.. ending.Select(d => d.Key.Value)];
        decimal reserved = (await unitOfWork.ListHoldsAsync(new HoldQuery(Account: hold.Account, OpenOnly: true), ct))
            .Where(h => h.Hold.IsSecurities == hold.IsSecurities && h.Hold.Asset == hold.Asset && !expiring.Contains($"hold/{h.Hold.Id}/expired"))
            .Sum(h => h.Hold.Amount);
        return new BuyingPower(hold.Account, hold.Asset, -balance, reserved, HoldPolicy.Available(balance, reserved));
    }

    private static async Task<Result<IReadOnlyList<JournalEntryDraft>>> ExpiredAsync(IWriteUnitOfWork unitOfWork, string? account, Instant now, CancellationToken ct)
    {
        var drafts = new List<JournalEntryDraft>();
        foreach (HeldEntry held in await unitOfWork.ListHoldsAsync(new HoldQuery(Account: account, OpenOnly: true), ct))
        {
            if (now >= held.Hold.ExpiresAt)
            {
                Result<JournalEntryDraft> reversal = await ReverseAsync(unitOfWork, held, HoldStatus.Expired, null, now, ct);
                if (reversal.Rejection is { } rejection)
                {
                    return rejection;
                }
                drafts.Add(reversal.Value);
            }
        }
        return drafts;
    }

    private static async Task<Result<JournalEntryDraft>> ReverseAsync(IWriteUnitOfWork unitOfWork, HeldEntry held, HoldStatus why, string? detail, Instant now, CancellationToken ct)
    {
        JournalEntry? original = await unitOfWork.ReadEntryAsync(held.EntryId, ct);
        // Dated today, or the original's date if that is later (a reversal never precedes its entry).
        ReversalRequest request = HoldPolicy.End(held.Hold, held.EntryId, why, now, detail);
        if (original is not null && request.EffectiveDate < original.EffectiveDate)
        {
            request = request with { EffectiveDate = original.EffectiveDate };
        }
        return EntryRules.Reverse(request, original, null);
    }

    private static async Task OpenSubLedgerAsync(IWriteUnitOfWork unitOfWork, Hold hold, CancellationToken ct)
    {
        string code = HoldPolicy.HeldAccount(hold);
        string control = code[..code.IndexOf('.', StringComparison.Ordinal)];
        ReferenceLookup existing = await unitOfWork.ResolveAsync([code, control], [], ct);
        if (!existing.LedgerAccounts.ContainsKey(code) && existing.LedgerAccounts.TryGetValue(control, out LedgerAccount? parent))
        {
            await unitOfWork.ApplyReferenceChangesAsync(new ReferenceChanges
            {
                LedgerAccounts = [new LedgerAccountDefinition(code, (hold.IsSecurities ? "Securities on hold: " : "Cash on hold: ") + hold.Account, parent.Type, control, true)],
            }, ct);
        }
    }
}

/// <summary>The client sub-ledger controls the buying-power policy reads.</summary>
public sealed record TradeBookingPolicyCodes(string ClientMoney, string ClientSecurities);
