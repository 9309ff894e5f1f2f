/**
 * `source_projects`: which projects' transcripts are imported, by the project directory's path.
 * Globs without `!` include (none: every project), globs with `!` exclude; an exclude wins.
 * A session whose project is unknown is imported only when there are no include globs.
 */
export type ProjectFilter = (project: string | null) => boolean;

export function projectFilter(patterns: readonly string[]): ProjectFilter {
  const include = patterns.filter((p) => !p.startsWith("!")).map((p) => new Bun.Glob(p));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => new Bun.Glob(p.slice(1)));
  if (include.length === 0 && exclude.length === 0) return () => true;
  return (project) => {
    if (project === null) return include.length === 0;
    // `~/src/*` should pick ~/src/app and everything below it.
    const matches = (g: Bun.Glob) => g.match(project) || g.match(`${project}/`);
    if (exclude.some(matches)) return false;
    return include.length === 0 || include.some(matches);
  };
}
