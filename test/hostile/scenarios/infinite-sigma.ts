export default { name: 'i', protocol: 'raft', nodes: 3, until: '2s', network: { latency: { dist: 'lognormal', median: '1ms', sigma: Infinity } } };
