/** The licence of a font package, from its Debian copyright file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyrightLicence, fontSources } from '../../src/corpus/lines/font-licences.js';
import { haveCommand } from '../helpers/have-command.js';

test('copyrightLicence: the "Files: *" stanza\'s licence; undefined for a file that is not machine-readable', () => {
  const dep5 = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: debian/*\nCopyright: 2020 X\nLicense: GPL-2+\n\n'
    + 'Files: *\nCopyright: 2006 Y\nLicense: OFL-1.0\n "Y" is a Reserved Font Name.\n\nLicense: OFL-1.0\n text';
  assert.equal(copyrightLicence(dep5), 'OFL-1.0');
  assert.equal(copyrightLicence('Files: fonts/*\nLicense: Apache-2.0\n'), 'Apache-2.0');
  assert.equal(copyrightLicence('This package was debianized by someone.\n\nLicense:\n\n the GPL'), undefined);
});

const skip = haveCommand('fc-list', ['--version']) && haveCommand('dpkg', ['-s', 'fonts-breip']) ? false : 'needs fontconfig, dpkg and fonts-breip (as .ci/run installs)';
test('fontSources finds the package, area and licence of an installed font (Breip)', { skip }, () => {
  const s = fontSources(['Breip', 'No Such Family Anywhere']);
  assert.equal(s['No Such Family Anywhere'], undefined);
  assert.deepEqual(s['Breip'], { package: 'fonts-breip', section: 'main', licence: 'OFL-1.0' });
});
