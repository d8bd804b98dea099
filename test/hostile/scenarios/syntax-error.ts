export default { name: 'x', protocol: 'raft', nodes: 3, until: '2s' ;
