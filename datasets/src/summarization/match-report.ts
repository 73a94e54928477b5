// Football match reports. The summary names winner, loser, score, ground and day, and the scorer of
// the decisive goal (the game-winning goal: the winner's goal that passed the loser's final tally),
// facts spread over the lead, the goal sentences and the closing line, among distractors (crowd,
// cards, a missed penalty, past results).
import type { Generator } from '@gloss/tensor';
import { chance, intBetween, pick, sample, weighted } from '../choice.js';
import { MONTHS, TOWNS, distinctNames, fill, ordinal, thousands, type Report } from './common.js';

const SUFFIXES = ['United', 'Rovers', 'Athletic', 'Town', 'City', 'Albion', 'Wanderers', 'Rangers'];
/** Each town's club and ground, fixed: "Ashford United" play at "Ashford Park". */
const CLUBS = TOWNS.map((town, i) => ({
  name: `${town} ${SUFFIXES[i % SUFFIXES.length]}`,
  ground: i % 3 === 0 ? `${town} Park` : i % 3 === 1 ? `the ${town} Stadium` : `${town} Road`,
}));

/** Final scores as [winner goals, loser goals], at most four goals so each fits a sentence. */
const SCORES: Record<string, number> = {
  '1-0': 15, '2-0': 11, '2-1': 17, '3-0': 5, '3-1': 8, '4-0': 2, '1-1': 10, '2-2': 5, '0-0': 5,
};

const LEADS = [
  '{home} hosted {away} at {ground} on {day}.',
  '{away} traveled to {ground} on {day} to face {home}.',
  '{home} welcomed {away} to {ground} on {day} evening.',
  'A crowd of {crowd} saw {home} take on {away} at {ground} on {day}.',
];
const OPENER = ['{scorer} opened the scoring for {team} in the {minute} minute.', '{team} took the lead in the {minute} minute through {scorer}.'];
const EQUALIZER = ['{scorer} equalized for {team} in the {minute} minute.', '{team} drew level at {score} when {scorer} scored in the {minute} minute.'];
const AHEAD = ['{scorer} put {team} ahead at {score} in the {minute} minute.', '{team} went {score} up in the {minute} minute through {scorer}.'];
const EXTEND = ['{scorer} made it {score} for {team} in the {minute} minute.', '{scorer} extended the lead for {team} in the {minute} minute.'];
const PULL_BACK = ['{scorer} pulled one back for {team} in the {minute} minute.', '{team} cut the gap to {score} through {scorer} in the {minute} minute.'];
const WIN_ENDINGS = ['The match finished {winner} {w}, {loser} {l}.', '{winner} held on to win {w}-{l}.', 'The final score was {home} {h}, {away} {a}.'];
const DRAW_ENDINGS = ['The match finished {h}-{a}.', 'The final score was {home} {h}, {away} {a}.', 'It ended all square at {h}-{a}.'];
const DISTRACTORS = [
  'Referee {referee} showed {cards} yellow cards.',
  '{other} missed a penalty for {team} in the {minute} minute.',
  'The sides drew {x}-{x} when they last met in {month}.',
  '{team} won the reverse fixture {y}-{x} in {month}.', // y > x
  'The result leaves {team} {position} in the table.',
  '{other} was forced off with an injury after {n} minutes.',
  'Rain fell steadily throughout the second half.',
  'A crowd of {crowd} watched under clear skies.',
];

/** An earlier result for a distractor: x-x for a draw, y-x for a win (y > x). */
function pastScore(g: Generator): { x: number; y: number } {
  const x = intBetween(g, 0, 2);
  return { x, y: x + intBetween(g, 1, 2) };
}

interface Goal { readonly winnerSide: boolean; readonly minute: number }

/** A match report with its summary. */
export function sampleMatchReport(g: Generator): Report {
  const [homeClub, awayClub] = sample(g, CLUBS, 2);
  const home = homeClub.name;
  const away = awayClub.name;
  const ground = homeClub.ground;
  const day = pick(g, ['Saturday', 'Sunday', 'Tuesday', 'Wednesday']);
  const crowd = thousands(intBetween(g, 30, 400) * 100);
  const [w, l] = weighted(g, SCORES).split('-').map(Number);
  const homeWins = chance(g, 0.55);
  const [h, a] = homeWins ? [w, l] : [l, w];
  const [winner, loser] = homeWins ? [home, away] : [away, home];

  // Goals in a random order that keeps the final score; minutes distinct and increasing.
  const sides = g.shuffle([...Array(w).fill(true), ...Array(l).fill(false)] as boolean[]);
  const minutes = sample(g, Array.from({ length: 89 }, (_, i) => i + 2), sides.length).sort((x, y) => x - y);
  const goals: Goal[] = sides.map((winnerSide, i) => ({ winnerSide, minute: minutes[i] }));
  const names = distinctNames(g, goals.length + 2);
  const scorers = goals.map((_, i) => names[i]);
  const [other, referee] = names.slice(goals.length);

  const sentences = [fill(pick(g, LEADS), { home, away, ground, day, crowd })];
  let ws = 0;
  let ls = 0;
  let decisive = -1;
  goals.forEach((goal, i) => {
    const [before, against] = goal.winnerSide ? [ws, ls] : [ls, ws];
    if (goal.winnerSide) ws++;
    else ls++;
    // The decisive goal: the winner's goal number l + 1, the one that passed the loser's final tally.
    if (goal.winnerSide && ws === l + 1) decisive = i;
    const templates = before === 0 && against === 0 ? OPENER : before + 1 === against ? EQUALIZER
      : before === against ? AHEAD : before > against ? EXTEND : PULL_BACK;
    const score = `${before + 1}-${against}`;
    sentences.push(fill(pick(g, templates), { scorer: scorers[i], team: goal.winnerSide ? winner : loser, minute: ordinal(goal.minute), score }));
  });

  const draw = w === l;
  const ending = fill(pick(g, draw ? DRAW_ENDINGS : WIN_ENDINGS), { winner, loser, w, l, home, away, h, a });
  const pool = DISTRACTORS.filter((t) => !(t.includes('{crowd}') && sentences[0].includes(crowd)));
  // Enough distractors for 4–6 sentences: two or three around a lone goal, none around four goals.
  const fewest = goals.length <= 1 ? 2 : goals.length === 2 ? 1 : 0;
  const distractors = g.shuffle(pool).slice(0, intBetween(g, fewest, Math.min(3, 4 - goals.length)))
    .map((t) => fill(t, {
      referee, other, cards: intBetween(g, 2, 7), team: pick(g, [home, away]), minute: ordinal(intBetween(g, 5, 88)),
      ...pastScore(g), month: pick(g, MONTHS), position: ordinal(intBetween(g, 1, 20)),
      n: intBetween(g, 10, 80), crowd,
    }));
  // Distractors go between the goals (never first), the closing line last or right after the lead.
  for (const d of distractors) sentences.splice(1 + g.int(sentences.length), 0, d);
  if (chance(g, 0.25)) sentences.splice(1, 0, ending);
  else sentences.push(ending);

  if (draw) {
    const score = `${h}-${a}`;
    return {
      sentences,
      summary: `${home} and ${away} drew ${score} at ${ground} on ${day}.`,
      facts: [home, away, ground, day, String(h), String(a)],
    };
  }
  const minute = ordinal(goals[decisive].minute);
  return {
    sentences,
    summary: `${winner} beat ${loser} ${w}-${l} at ${ground} on ${day}, with ${scorers[decisive]} scoring the decisive goal in the ${minute} minute.`,
    facts: [winner, loser, ground, day, String(w), String(l), scorers[decisive], minute],
  };
}
