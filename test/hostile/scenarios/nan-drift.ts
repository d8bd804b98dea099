export default { name: 'n', protocol: 'raft', nodes: 3, until: '2s', clocks: { n1: { driftPpm: NaN } } };
