export default { name: 'p', protocol: { name: 'fake', init: 'not a function' }, nodes: 3, until: '2s' };
