export default { name: 'g', protocol: 'raft', nodes: 3, get until(): string { throw Symbol('odd'); } };
