const { src, dest } = require('gulp');

// Icons are not touched by tsc; encoding: false keeps PNG bytes intact under gulp 5.
function buildIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
