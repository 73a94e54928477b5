// Product safety notices. The summary names the company, how many units of which model, the faulty
// part and what it can do, and what customers should do — facts from four different sentences, among
// distractors (complaints, an unaffected model, an old recall, the share price, the launch).
import type { Generator } from '@gloss/tensor';
import { intBetween, pick, sample } from '../choice.js';
import { DAYS, MONTHS, TOWNS, fill, thousands, type Report } from './common.js';

const COMPANIES = ['Brightline', 'Homewell', 'Kestrel', 'Norland', 'Copperfield', 'Vantage', 'Solano', 'Ardent',
  'Meridian', 'Bluestone', 'Fernhill', 'Tidewater'];

interface Product { readonly name: string; readonly plural: string; readonly parts: readonly string[]; readonly hazards: readonly string[] }

const PRODUCTS: readonly Product[] = [
  { name: 'kettle', plural: 'kettles', parts: ['power base', 'lid hinge', 'thermostat'], hazards: ['overheat', 'leak boiling water'] },
  { name: 'space heater', plural: 'space heaters', parts: ['thermostat', 'power cable', 'tip-over switch'], hazards: ['overheat', 'catch fire'] },
  { name: 'baby monitor', plural: 'baby monitors', parts: ['battery', 'charging cable'], hazards: ['overheat', 'stop working without warning'] },
  { name: 'electric scooter', plural: 'electric scooters', parts: ['battery', 'brake cable', 'folding latch'], hazards: ['catch fire', 'fold while in use'] },
  { name: 'hair dryer', plural: 'hair dryers', parts: ['power cable', 'heating element'], hazards: ['overheat', 'give electric shocks'] },
  { name: 'toaster', plural: 'toasters', parts: ['heating element', 'timer switch'], hazards: ['overheat', 'catch fire'] },
  { name: 'phone charger', plural: 'phone chargers', parts: ['plug', 'power cable'], hazards: ['give electric shocks', 'overheat'] },
  { name: 'desk lamp', plural: 'desk lamps', parts: ['power cable', 'switch'], hazards: ['give electric shocks', 'overheat'] },
  { name: 'pressure cooker', plural: 'pressure cookers', parts: ['lid seal', 'pressure valve'], hazards: ['burst open', 'leak steam'] },
  { name: 'blender', plural: 'blenders', parts: ['blade assembly', 'lid lock'], hazards: ['break apart', 'start unexpectedly'] },
  { name: 'power bank', plural: 'power banks', parts: ['battery', 'charging port'], hazards: ['overheat', 'catch fire'] },
  { name: 'coffee machine', plural: 'coffee machines', parts: ['water tank', 'heating element'], hazards: ['leak boiling water', 'overheat'] },
];
const ACTIONS = [
  'stop using it and return it for a full refund',
  'contact the company for a free repair',
  'unplug it and ask for a free replacement',
];

const LEADS = [
  '{company}, the {town}-based maker of household goods, published a safety notice on {day}.',
  '{company} has issued a notice to customers who bought one of its {plural}.',
  'A safety notice was published on {day} by {company}, which sells {plural} across the country.',
];
const UNIT_LINES = [
  'The notice covers {units} {model} {plural} sold between {from} and {to} {year}.',
  'About {units} units of the {model} {name} were sold between {from} and {to} {year}.',
];
const FAULT_LINES = [
  'The company said a fault in the {part} can cause the {name} to {hazard}.',
  'Tests found that the {part} can fail and make the {name} {hazard}.',
];
const ACTION_LINES = ['Customers should {action}.', 'Owners are asked to {action}.'];
const DISTRACTORS = [
  '{complaints} customers have reported problems, but no injuries have been recorded.',
  'The {otherModel} {name} is not affected.',
  '{company} recalled {oldUnits} {otherPlural} in {oldYear}.',
  'Shares in {company} fell {percent} percent on {day}.',
  'The {model} was launched in {launch} at a price of {price} dollars.',
];

function modelName(g: Generator): string {
  const letters = 'ABCDEFGHJKLMNPRSTVXZ';
  return `${letters[g.int(letters.length)]}${letters[g.int(letters.length)]}-${intBetween(g, 1, 9) * 100}`;
}

/** A product safety notice with its summary. */
export function sampleProductNotice(g: Generator): Report {
  const company = pick(g, COMPANIES);
  const [product, otherProduct] = sample(g, PRODUCTS, 2);
  const model = modelName(g);
  let otherModel = modelName(g);
  while (otherModel === model) otherModel = modelName(g);
  const part = pick(g, product.parts);
  const hazard = pick(g, product.hazards);
  const action = pick(g, ACTIONS);
  const year = intBetween(g, 2019, 2024);
  const fromMonth = g.int(6);
  const units = thousands(intBetween(g, 2, 90) * 500);
  const slots = {
    company, model, otherModel, part, hazard, action, units, year, name: product.name, plural: product.plural,
    town: pick(g, TOWNS), day: pick(g, DAYS), from: MONTHS[fromMonth], to: MONTHS[fromMonth + intBetween(g, 2, 6)],
    complaints: intBetween(g, 3, 60), oldUnits: thousands(intBetween(g, 2, 40) * 500), otherPlural: otherProduct.plural,
    oldYear: intBetween(g, 2008, 2018), percent: intBetween(g, 2, 9), launch: year - intBetween(g, 0, 2), price: intBetween(g, 2, 40) * 5 - 1,
  };
  const body = [
    fill(pick(g, UNIT_LINES), slots),
    fill(pick(g, FAULT_LINES), slots),
    fill(pick(g, ACTION_LINES), slots),
  ];
  const extra = g.shuffle(DISTRACTORS.slice()).slice(0, intBetween(g, 1, 2)).map((t) => fill(t, slots));
  for (const d of extra) body.splice(g.int(body.length + 1), 0, d);
  return {
    sentences: [fill(pick(g, LEADS), slots), ...body],
    summary: `${company} is recalling ${units} ${model} ${product.plural} because a faulty ${part} can make the ${product.name} ${hazard}, and customers should ${action}.`,
    facts: [company, units, model, part, hazard, action],
  };
}
