// Each summary checked against an independent reading of its article: the parsers here know the
// article's phrasing, not the generator's variables.
import { Generator } from '@gloss/tensor';
import { describe, expect, it } from 'vitest';
import { sampleMatchReport } from './match-report.js';
import { sampleProductNotice } from './product-notice.js';
import { sampleWeatherBulletin } from './weather-bulletin.js';

const GOAL_PATTERNS = [
  /^(?<scorer>.+) opened the scoring for (?<team>.+) in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<team>.+) took the lead in the (?<minute>\d+)\w\w minute through (?<scorer>.+)\.$/,
  /^(?<scorer>.+) equalized for (?<team>.+) in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<team>.+) drew level at \d-\d when (?<scorer>.+) scored in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<scorer>.+) put (?<team>.+) ahead at \d-\d in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<team>.+) went \d-\d up in the (?<minute>\d+)\w\w minute through (?<scorer>.+)\.$/,
  /^(?<scorer>.+) made it \d-\d for (?<team>.+) in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<scorer>.+) extended the lead for (?<team>.+) in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<scorer>.+) pulled one back for (?<team>.+) in the (?<minute>\d+)\w\w minute\.$/,
  /^(?<team>.+) cut the gap to \d-\d through (?<scorer>.+) in the (?<minute>\d+)\w\w minute\.$/,
];

describe('match reports', () => {
  it('name the winner, the score and the game-winning goal (the winner\'s goal that passed the loser\'s final tally)', () => {
    const g = new Generator('matches');
    let wins = 0;
    for (let i = 0; i < 400; i++) {
      const { sentences, summary } = sampleMatchReport(g);
      const article = sentences.join(' ');
      const goals = sentences.flatMap((s) => {
        const m = GOAL_PATTERNS.map((p) => p.exec(s)).find((x) => x !== null);
        return m ? [{ team: m.groups!.team, scorer: m.groups!.scorer, minute: Number(m.groups!.minute) }] : [];
      });
      const minutes = goals.map((x) => x.minute);
      expect(minutes, article).toEqual([...minutes].sort((a, b) => a - b));
      const tally = new Map<string, number>();
      for (const goal of goals) tally.set(goal.team, (tally.get(goal.team) ?? 0) + 1);
      const [[winner, w], [, l] = ['', 0]] = [...tally.entries(), ['', 0] as const].sort((x, y) => y[1] - x[1]);
      if (w === l) {
        expect(summary, article).toMatch(/ drew (\d)-\1 at /);
        continue;
      }
      wins++;
      const decisive = goals.filter((x) => x.team === winner)[l]; // the (l + 1)-th goal of the winner
      expect(summary.startsWith(`${winner} beat `), summary).toBe(true);
      expect(summary, article).toContain(` ${w}-${l} at `);
      expect(summary, article).toContain(`with ${decisive.scorer} scoring the decisive goal in the ${decisive.minute}`);
      expect(article, article).toMatch(new RegExp(`${w}-${l}|${winner} ${w}, .+ ${l}|${l}, ${winner} ${w}`));
    }
    expect(wins).toBeGreaterThan(250);
  });
});

describe('weather bulletins', () => {
  it('give the forecast high (not yesterday\'s or another town\'s) and the warning', () => {
    const g = new Generator('weather');
    for (let i = 0; i < 300; i++) {
      const { sentences, summary } = sampleWeatherBulletin(g);
      const article = sentences.join(' ');
      const high = /(?:reach a high of|The high will be|Expect a maximum of) (-?\d+) degrees?/.exec(article)![1];
      expect(summary, article).toContain(`with a high of ${high} degree`);
      const warning = /(?:A|issued a) (yellow|amber|red) warning for (\w+)/.exec(article);
      expect(summary, article).toMatch(warning ? new RegExp(`and a ${warning[1]} warning for ${warning[2]}\\.$`) : /and no weather warnings\.$/);
      const town = /^(?:The |Forecasters in |Here is the )(\w+)/.exec(sentences[0])![1];
      expect(summary.startsWith(`${town} can expect `), summary).toBe(true);
    }
  });
});

describe('product notices', () => {
  it('give the recalled units, model, part, hazard and action from separate sentences', () => {
    const g = new Generator('products');
    for (let i = 0; i < 300; i++) {
      const { sentences, summary } = sampleProductNotice(g);
      const article = sentences.join(' ');
      const units = /(?:covers|About) ([\d,]+) (?:units of the )?([A-Z]{2}-\d00)/.exec(article)!;
      const fault = /(?:a fault in the|found that the) ([a-z -]+?) can (?:cause the [a-z ]+ to|fail and make the [a-z ]+?) ([a-z ]+)\./.exec(article)!;
      const action = /(?:Customers should|Owners are asked to) ([a-z ]+)\./.exec(article)!;
      expect(summary, article).toContain(` is recalling ${units[1]} ${units[2]} `);
      expect(summary, article).toContain(`because a faulty ${fault[1]} can make the `);
      expect(summary, article).toContain(` ${fault[2]}, and customers should ${action[1]}.`);
    }
  });
});
