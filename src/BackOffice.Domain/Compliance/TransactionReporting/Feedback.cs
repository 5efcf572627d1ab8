namespace BackOffice.Domain.Compliance.TransactionReporting;

/// <summary>The regulator's word on one record: its transaction reference, status and, when rejected, the rules it failed.</summary>
public sealed record RecordFeedback(string TransactionId, ReportStatus Status, string Reason);

/// <summary>
/// A status advice (auth.031) on one report file: the file it answers (its name as sent, when
/// the advice says), what the file's status says of the records it does not name
/// (<see cref="FeedbackCodes.File"/>), and the status of each record it names.
/// </summary>
public sealed record FileFeedback(string? FileName, ReportStatus? FileStatus, string FileReason, IReadOnlyList<RecordFeedback> Records);

/// <summary>How the status codes of auth.031 map to where a report stands.</summary>
public static class FeedbackCodes
{
    /// <summary>
    /// A record status (ReportingRecordStatus1Code): ACPT, ACPD (accepted after pending) and WARN
    /// (accepted with a warning) are accepted; RJCT and RJPD (rejected after pending) rejected;
    /// PDNG pending; RCVD received. Null for any other code.
    /// </summary>
    public static ReportStatus? Record(string code) => code switch
    {
        "ACPT" or "ACPD" or "WARN" => ReportStatus.Accepted,
        "RJCT" or "RJPD" => ReportStatus.Rejected,
        "PDNG" => ReportStatus.Pending,
        "RCVD" => ReportStatus.Received,
        _ => null,
    };

    /// <summary>
    /// What a file status (ReportingMessageStatus1Code) says of the records the advice does not
    /// name (a regulator's advice lists the records rejected or held, not every one accepted):
    /// ACPT, ACTC, PART (partly accepted) and WARN accept them; RJCT, INCF and CRPT reject the
    /// file whole; RCVD and RMDR say nothing of them yet (null).
    /// </summary>
    public static ReportStatus? File(string code) => code switch
    {
        "ACPT" or "ACTC" or "PART" or "WARN" => ReportStatus.Accepted,
        "RJCT" or "INCF" or "CRPT" => ReportStatus.Rejected,
        _ => null,
    };
}
