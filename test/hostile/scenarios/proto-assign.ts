const config = JSON.parse('{"__proto__": {"preVote": true}}');
export default { name: 'p', protocol: 'raft', nodes: 3, until: '2s', config };
