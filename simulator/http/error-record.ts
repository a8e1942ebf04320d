/**
 * The error record both PowerShell stand-ins (MSOnline and the remote session) rebuild from an
 * answer of the loopback server.
 */
/** An error record as the stand-ins rebuild it: exception type, message, error id, category. */
export interface SimError {
  exceptionType: string;
  message: string;
  /** The FullyQualifiedErrorId the record must carry. */
  errorId: string;
  category: string;
  /** ErrorDetails message, when the real record has one (the "[computer] …" form). */
  details?: string;
  targetObject?: string;
  /** Warnings the real service prints before the error. */
  warnings?: string[];
}
