/** The member's team and its pinned house style (lib/server/teams/house-style.ts, memberHouseStyle). */
export interface THouseStyleNote {
  team: string;
  code: string;
  model: string;
}

const codeClass = "rounded bg-ink-800 px-1.5 py-0.5 text-ink-100";

/**
 * What a bare `--p` means for a member whose team pinned a house style
 * (docs/teams.md, "What `--p` means for a member"): the team's style on the
 * pin's model, so their own profile has to be named by its code. Plain text
 * in a note, wrapping at any width.
 */
export function HouseStyleNote({ house, ownCode, required }: { house: THouseStyleNote; ownCode: string | null; required: number }) {
  return (
    <p role="note" aria-label="What --p means in your team" data-testid="house-style-note" className="max-w-2xl rounded-lg border border-ink-800 px-3 py-2 text-sm break-words text-ink-300">
      In team <strong className="text-ink-100">{house.team}</strong>, <code className={codeClass}>--p</code> alone uses the team&apos;s house style (code{" "}
      <code className={codeClass}>{house.code}</code>, for {house.model}).{" "}
      {ownCode ? (
        <>
          Your own profile: <code className={codeClass}>--p {ownCode}</code>.
        </>
      ) : (
        <>Your own profile: rank {required} pairs here to unlock it, then name its code with --p.</>
      )}
    </p>
  );
}
