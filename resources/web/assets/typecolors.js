// Entry type colours as Pyrite's web UI has them (web/src/lib/constants.ts in Pyrite), so a type
// looks the same on both pages; other types get a stable colour of their own from their name.
const PyriteTypeColors = {
  event: '#3b82f6', person: '#8b5cf6', organization: '#f59e0b', topic: '#10b981',
  note: '#6b7280', place: '#ef4444', source: '#06b6d4', document: '#84cc16', standard: '#f472b6',
  component: '#22d3ee', adr: '#a78bfa', backlog_item: '#fb923c', qa_assessment: '#34d399',
  task: '#60a5fa', generic: '#94a3b8', collection: '#c084fc', daily_note: '#fbbf24',
  meeting: '#3b82f6', article: '#6b7280', actor: '#6b7280', cascade_org: '#f59e0b',
};

// Not Pyrite's: a hue from the name (FNV-1a), so a type keeps its colour across pages and runs.
function hashedColor(type) {
  let hash = 2166136261;
  for (let i = 0; i < type.length; ++i) {
    hash ^= type.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return `hsl(${hash % 360}, 62%, 58%)`;
}

export function typeColor(type) {
  return PyriteTypeColors[type] || hashedColor(type || 'note');
}

// One shape per knowledge base, in the order of their names: two KBs never look alike.
export const KbShapes = ['ellipse', 'round-rectangle', 'diamond', 'hexagon', 'triangle',
                         'round-tag', 'star', 'vee'];
