using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Fix;
using NodaTime;

namespace BackOffice.Host.Fix;

/// <summary>
/// A FIX 4.4 acceptor for drop copies: it accepts initiators on a TCP port, runs the session layer
/// (Logon, Heartbeat, TestRequest, ResendRequest, SequenceReset gap fill and reset, Reject, Logout,
/// gap detection, PossDupFlag and PossResend) and books every trade message through the trade
/// service. The next expected sequence number moves in the same transaction as the trades a
/// message books, so after a crash or restart the session resumes after the last booked message:
/// a message not committed is asked for again (ResendRequest), one committed is not booked twice.
/// BackOffice sends only session messages, so it answers a ResendRequest with a gap fill.
/// </summary>
public sealed class FixAcceptor(IBackOfficeStore store, TradeService trades, string compId, string actor, IClock clock, TextWriter log) : IAsyncDisposable
{
    private IBackOfficeStore Store { get; } = store;
    private TradeService Trades { get; } = trades;
    private string CompId { get; } = compId;
    private string Actor { get; } = actor;
    private IClock Clock { get; } = clock;
    private TextWriter Log { get; } = TextWriter.Synchronized(log);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private TcpListener? _listener;
    private Task? _accepting;

    /// <summary>The port listened on (useful when started on port 0).</summary>
    public int Port => ((IPEndPoint)_listener!.LocalEndpoint).Port;

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0 for any free port).</summary>
    public void Start(IPAddress address, int port)
    {
        _listener = new TcpListener(address, port);
        _listener.Start();
        _accepting = AcceptLoopAsync(_stop.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(Task.Run(() => RunSessionAsync(client, cancellationToken), CancellationToken.None));
            }
        }
    }

    /// <summary>Stops listening and closes every session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        await Task.WhenAll(running);
        _stop.Dispose();
    }

    private async Task RunSessionAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            var session = new Session(this, client.GetStream());
            try
            {
                await session.RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                await Log.WriteLineAsync($"fix: session {session.Id} ended: {e.GetType().Name}");
            }
        }
    }

    /// <summary>One connection: the session layer of one initiator.</summary>
    private sealed class Session(FixAcceptor acceptor, NetworkStream stream)
    {
        private FixSessionState _state = FixSessionState.New("");
        private string _counterparty = "";
        private bool _loggedOn;
        private long? _gapUntil;

        // TestRequests that arrived ahead of a gap: answered once everything before them is processed,
        // so a Heartbeat always means "all you sent before this has been booked".
        private readonly List<(long Seq, string Id)> _pendingTests = [];

        public string Id => _state.SessionId;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[1 << 16];
            int length = 0;
            while (true)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    await acceptor.Log.WriteLineAsync($"fix: {Id}: connection closed by the initiator");
                    return;
                }
                length += read;
                while (true)
                {
                    FixFrame frame = FixFramer.Find(buffer.AsSpan(0, length), endOfInput: false);
                    if (frame.Status == FixFrameStatus.Incomplete)
                    {
                        if (frame.Start > 0)
                        {
                            Buffer.BlockCopy(buffer, frame.Start, buffer, 0, length - frame.Start);
                            length -= frame.Start;
                        }
                        else if (length == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }
                        break;
                    }
                    if (frame.Status == FixFrameStatus.NoMessage)
                    {
                        Buffer.BlockCopy(buffer, frame.Consumed, buffer, 0, length - frame.Consumed);
                        length -= frame.Consumed;
                        break;
                    }
                    bool keepGoing = true;
                    if (frame.Status == FixFrameStatus.Complete)
                    {
                        keepGoing = await OnFrameAsync(buffer.AsMemory(frame.Start, frame.Length), frame.Delimiter, cancellationToken);
                    }
                    else
                    {
                        // Garbled: FIX says ignore it, without consuming a sequence number.
                        await acceptor.Log.WriteLineAsync($"fix: {Id}: ignored garbled input: {frame.Error}");
                    }
                    Buffer.BlockCopy(buffer, frame.Consumed, buffer, 0, length - frame.Consumed);
                    length -= frame.Consumed;
                    if (!keepGoing)
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>Handles one framed message; false ends the session.</summary>
        private async Task<bool> OnFrameAsync(ReadOnlyMemory<byte> frame, byte delimiter, CancellationToken cancellationToken)
        {
            (FixMessage? message, FixError? error) = FixMessage.Parse(frame.Span, delimiter, FixDictionary.Fix44);
            if (message is null)
            {
                return await OnInvalidAsync(frame, error!, cancellationToken);
            }
            if (!_loggedOn)
            {
                if (message.MsgType != "A")
                {
                    await acceptor.Log.WriteLineAsync($"fix: first message is not a Logon: {message.Text}");
                    return false;
                }
                return await OnLogonAsync(message, cancellationToken);
            }
            if (message.MsgType == "4")
            {
                return await OnSequenceResetAsync(message, cancellationToken);
            }
            if (message.MsgSeqNum < _state.NextIncoming)
            {
                if (message.PossDup)
                {
                    return true; // already processed: a resend of what we have
                }
                await SendLogoutAsync($"MsgSeqNum too low, expecting {_state.NextIncoming} but received {message.MsgSeqNum}", cancellationToken);
                return false;
            }
            if (message.MsgSeqNum > _state.NextIncoming)
            {
                if (message.MsgType == "1")
                {
                    _pendingTests.Add((message.MsgSeqNum, message.Get(112) ?? ""));
                }
                await RequestResendAsync(message.MsgSeqNum, cancellationToken);
                return true;
            }
            bool keepGoing = await OnInSequenceAsync(message, cancellationToken);
            await AnswerPendingTestsAsync(cancellationToken);
            return keepGoing;
        }

        private async Task<bool> OnLogonAsync(FixMessage logon, CancellationToken cancellationToken)
        {
            _counterparty = logon.SenderCompId;
            if (logon.TargetCompId != acceptor.CompId)
            {
                await acceptor.Log.WriteLineAsync($"fix: logon for {logon.TargetCompId}, not {acceptor.CompId}: refused");
                return false;
            }
            string id = $"FIX.4.4:{acceptor.CompId}->{_counterparty}";
            _state = await acceptor.Store.ReadFixSessionAsync(id, cancellationToken) ?? FixSessionState.New(id);
            if (logon.Get(141) == "Y")
            {
                // ResetSeqNumFlag: both sides start again at 1 (the Logon itself is 1).
                _state = _state with { NextIncoming = 1, NextOutgoing = 1 };
            }
            _loggedOn = true;
            string heartBtInt = logon.Get(108) ?? "30";
            await SendAsync("A", [(98, "0"), (108, heartBtInt), .. logon.Get(141) == "Y" ? new[] { (141, "Y") } : []], cancellationToken);
            await acceptor.Log.WriteLineAsync($"fix: {Id}: logged on at {logon.MsgSeqNum}, expecting {_state.NextIncoming}");
            if (logon.MsgSeqNum > _state.NextIncoming)
            {
                await RequestResendAsync(logon.MsgSeqNum, cancellationToken);
                return true;
            }
            if (logon.MsgSeqNum < _state.NextIncoming)
            {
                await SendLogoutAsync($"MsgSeqNum too low, expecting {_state.NextIncoming} but received {logon.MsgSeqNum}", cancellationToken);
                return false;
            }
            _state = _state with { NextIncoming = logon.MsgSeqNum + 1 };
            await acceptor.Store.SaveFixSessionAsync(_state, cancellationToken);
            return true;
        }

        private async Task<bool> OnInSequenceAsync(FixMessage message, CancellationToken cancellationToken)
        {
            switch (message.MsgType)
            {
                case "0": // Heartbeat
                case "3": // Reject of something we sent
                    await AdvanceAsync(cancellationToken);
                    return true;
                case "1": // TestRequest: answer with its id
                    await AdvanceAsync(cancellationToken);
                    await SendAsync("0", [(112, message.Get(112) ?? "")], cancellationToken);
                    return true;
                case "2": // ResendRequest: we send only session messages, so the whole range is a gap fill
                    await AdvanceAsync(cancellationToken);
                    long begin = long.Parse(message.Get(7)!, CultureInfo.InvariantCulture);
                    await SendGapFillAsync(begin, cancellationToken);
                    return true;
                case "5": // Logout
                    await AdvanceAsync(cancellationToken);
                    await SendAsync("5", [], cancellationToken);
                    await acceptor.Log.WriteLineAsync($"fix: {Id}: logged out");
                    return false;
                case "A":
                    await SendLogoutAsync("a second Logon on a logged-on session", cancellationToken);
                    return false;
                default:
                    await BookAsync(message, cancellationToken);
                    return true;
            }
        }

        /// <summary>Books an application message and moves the expected sequence number in the same transaction.</summary>
        private async Task BookAsync(FixMessage message, CancellationToken cancellationToken)
        {
            string location = string.Create(CultureInfo.InvariantCulture, $"{Id} MsgSeqNum {message.MsgSeqNum}");
            TradeMessage? trade = FixTrades.Read(message, location);
            FixSessionState next = _state with { NextIncoming = message.MsgSeqNum + 1 };
            if (trade is null)
            {
                _state = next;
                await acceptor.Store.SaveFixSessionAsync(_state, cancellationToken);
                return;
            }
            string name = trade.Request?.SourceTradeId ?? trade.Allocation?.AllocationId ?? Digest(message.Text);
            var key = IdempotencyKey.From($"fix/{trade.Source}/{name}");
            (CommandOutcome outcome, TradeMessageOutcome[] outcomes) = await acceptor.Trades.SubmitAsync([trade], acceptor.Actor, key, next, cancellationToken);
            if (outcome.Status != CommandStatus.Accepted)
            {
                // Booked before (a resend after a restart): the trade stands; only the sequence moves on.
                await acceptor.Store.SaveFixSessionAsync(next, cancellationToken);
            }
            _state = next;
            if (outcomes is [{ Status: TradeMessageStatus.Exception } exception])
            {
                await acceptor.Log.WriteLineAsync($"fix: {location}: sent to the exceptions queue as {exception.ExceptionId}");
            }
            else
            {
                await acceptor.Log.WriteLineAsync($"fix: {location}: {name} {(outcome.Status == CommandStatus.Accepted && outcomes.Length > 0 ? outcomes[0].Status.ToString().ToLowerInvariant() : "replayed")}");
            }
        }

        /// <summary>A message the dictionary refuses: Reject (35=3) when FIX says so, and the exceptions queue either way.</summary>
        private async Task<bool> OnInvalidAsync(ReadOnlyMemory<byte> frame, FixError error, CancellationToken cancellationToken)
        {
            if (error.IsGarbled || error.MsgSeqNum is not { } seq || !_loggedOn)
            {
                await acceptor.Log.WriteLineAsync($"fix: {Id}: ignored: {error}");
                return _loggedOn;
            }
            if (seq != _state.NextIncoming)
            {
                if (seq > _state.NextIncoming)
                {
                    await RequestResendAsync(seq, cancellationToken);
                }
                return true;
            }
            var fields = new List<(int, string)> { (45, seq.ToString(CultureInfo.InvariantCulture)), (58, error.Rejection.Message) };
            if (error.RefTagId is { } tag)
            {
                fields.Add((371, tag.ToString(CultureInfo.InvariantCulture)));
            }
            if (error.MsgType is { Length: > 0 } msgType)
            {
                fields.Add((372, msgType));
            }
            if (error.SessionRejectReason is { } reason)
            {
                fields.Add((373, ((int)reason).ToString(CultureInfo.InvariantCulture)));
            }
            string raw = FixValues.ToText(frame.Span).Replace('\u0001', '|');
            string location = string.Create(CultureInfo.InvariantCulture, $"{Id} MsgSeqNum {seq}");
            FixSessionState next = _state with { NextIncoming = seq + 1 };
            var bad = new TradeMessage(null, error.Rejection, "FIX:" + _counterparty, raw, location);
            (CommandOutcome outcome, _) = await acceptor.Trades.SubmitAsync([bad], acceptor.Actor, IdempotencyKey.From($"fix/{Id}/rejected/{Digest(raw)}"), next, cancellationToken);
            if (outcome.Status != CommandStatus.Accepted)
            {
                await acceptor.Store.SaveFixSessionAsync(next, cancellationToken);
            }
            _state = next;
            await SendAsync("3", fields, cancellationToken);
            return true;
        }

        private async Task<bool> OnSequenceResetAsync(FixMessage reset, CancellationToken cancellationToken)
        {
            long newSeq = long.Parse(reset.Get(36)!, CultureInfo.InvariantCulture);
            bool gapFill = reset.Get(123) == "Y";
            if (gapFill && reset.MsgSeqNum > _state.NextIncoming)
            {
                await RequestResendAsync(reset.MsgSeqNum, cancellationToken);
                return true;
            }
            if (gapFill && reset.MsgSeqNum < _state.NextIncoming)
            {
                return true; // a gap fill for messages already processed
            }
            if (newSeq < _state.NextIncoming)
            {
                // FIX: a SequenceReset may not lower the expected number; reject it.
                await SendAsync("3", [(45, reset.MsgSeqNum.ToString(CultureInfo.InvariantCulture)), (373, "5"), (371, "36"),
                    (58, $"NewSeqNo {newSeq} is lower than the expected {_state.NextIncoming}")], cancellationToken);
                return true;
            }
            _state = _state with { NextIncoming = newSeq };
            await acceptor.Store.SaveFixSessionAsync(_state, cancellationToken);
            await AnswerPendingTestsAsync(cancellationToken);
            return true;
        }

        private async Task RequestResendAsync(long received, CancellationToken cancellationToken)
        {
            // One request per gap: the initiator resends everything from the first missing message on,
            // so while one is outstanding, later messages ahead of the gap ask for nothing more.
            if (_gapUntil is { } pending && _state.NextIncoming <= pending)
            {
                _gapUntil = Math.Max(pending, received);
                return;
            }
            _gapUntil = received;
            await acceptor.Log.WriteLineAsync($"fix: {Id}: gap: expecting {_state.NextIncoming}, received {received}; asking for a resend");
            await SendAsync("2", [(7, _state.NextIncoming.ToString(CultureInfo.InvariantCulture)), (16, "0")], cancellationToken);
        }

        private async Task AnswerPendingTestsAsync(CancellationToken cancellationToken)
        {
            foreach ((long seq, string id) in _pendingTests.Where(t => t.Seq < _state.NextIncoming).ToList())
            {
                _pendingTests.Remove((seq, id));
                await SendAsync("0", [(112, id)], cancellationToken);
            }
        }

        private async Task SendGapFillAsync(long begin, CancellationToken cancellationToken)
        {
            // The gap fill carries the first sequence number asked for and says where ours continue.
            long next = _state.NextOutgoing;
            await WriteAsync("4", begin, [(43, "Y"), (122, Timestamp()), (123, "Y"), (36, next.ToString(CultureInfo.InvariantCulture))], cancellationToken);
        }

        private async Task AdvanceAsync(CancellationToken cancellationToken)
        {
            _state = _state with { NextIncoming = _state.NextIncoming + 1 };
            await acceptor.Store.SaveFixSessionAsync(_state, cancellationToken);
        }

        private async Task SendLogoutAsync(string text, CancellationToken cancellationToken)
        {
            await acceptor.Log.WriteLineAsync($"fix: {Id}: logout: {text}");
            await SendAsync("5", [(58, text)], cancellationToken);
        }

        private async Task SendAsync(string msgType, IReadOnlyList<(int Tag, string Value)> body, CancellationToken cancellationToken)
        {
            long seq = _state.NextOutgoing;
            _state = _state with { NextOutgoing = seq + 1 };
            await acceptor.Store.SaveFixSessionAsync(_state, cancellationToken);
            await WriteAsync(msgType, seq, body, cancellationToken);
        }

        private async Task WriteAsync(string msgType, long seq, IReadOnlyList<(int Tag, string Value)> body, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            text.Append("35=").Append(msgType).Append('\u0001')
                .Append("49=").Append(acceptor.CompId).Append('\u0001')
                .Append("56=").Append(_counterparty).Append('\u0001')
                .Append("34=").Append(seq.ToString(CultureInfo.InvariantCulture)).Append('\u0001');
            foreach ((int tag, string value) in body.Where(f => f.Tag == 43))
            {
                text.Append(tag.ToString(CultureInfo.InvariantCulture)).Append('=').Append(value).Append('\u0001');
            }
            text.Append("52=").Append(Timestamp()).Append('\u0001');
            foreach ((int tag, string value) in body.Where(f => f.Tag != 43))
            {
                text.Append(tag.ToString(CultureInfo.InvariantCulture)).Append('=').Append(value).Append('\u0001');
            }
            string fields = text.ToString();
            string head = "8=FIX.4.4\u00019=" + Encoding.Latin1.GetByteCount(fields).ToString(CultureInfo.InvariantCulture) + "\u0001";
            byte[] bytes = Encoding.Latin1.GetBytes(head + fields);
            int sum = FixFramer.CheckSum(bytes);
            byte[] message = Encoding.Latin1.GetBytes(head + fields + "10=" + sum.ToString("D3", CultureInfo.InvariantCulture) + "\u0001");
            await stream.WriteAsync(message, cancellationToken);
        }

        private string Timestamp()
        {
            Span<byte> text = stackalloc byte[32];
            int written = FixValues.WriteTimestamp(text, acceptor.Clock.GetCurrentInstant());
            return Encoding.ASCII.GetString(text[..written]);
        }

        private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
