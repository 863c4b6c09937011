import { Typography } from 'antd';
import type { CommitmentDetail } from './committee.api';

/** The letter laid out as on paper: title, addressee, body, clauses, signature block. */
export function LetterText({ letter, testId }: { letter: CommitmentDetail['letter']; testId?: string }) {
  return (
    <div className="qz-letter-text" data-testid={testId}>
      <Typography.Title level={5} className="qz-letter-title">
        {letter.title}
      </Typography.Title>
      <p>{letter.addressee}</p>
      <p className="qz-letter-para">{letter.preamble}</p>
      {letter.clauses.map((clause) => (
        <p key={clause} className="qz-letter-para">
          {clause}
        </p>
      ))}
      <p className="qz-letter-para">{letter.closing}</p>
      <div className="qz-letter-signature">
        {letter.signature.map((line) => (
          <div key={line}>{line}</div>
        ))}
      </div>
    </div>
  );
}
